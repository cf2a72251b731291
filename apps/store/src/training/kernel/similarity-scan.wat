;; Similarity scan over a quantised snapshot (see quantised-matrix.ts for the layout).
;; Rows are int8 codes grouped by person; the query is int16. i32x4.dot_i16x8_s multiplies eight lanes at a
;; time, so a 128-byte row costs sixteen multiply-adds; int32 accumulators cannot overflow for dim <= 2048.
;; Pointers and sizes are byte offsets into the shared memory; dim is a multiple of 16.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Dot product of one row of int8 codes with the int16 query.
  (func $dot (param $row i32) (param $query i32) (param $dim i32) (result i32)
    (local $end i32) (local $acc v128) (local $codes v128)
    (local.set $end (i32.add (local.get $row) (local.get $dim)))
    (loop $chunks
      (local.set $codes (v128.load (local.get $row)))
      (local.set $acc (i32x4.add (local.get $acc)
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $codes)) (v128.load (local.get $query)))))
      (local.set $acc (i32x4.add (local.get $acc)
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $codes)) (v128.load offset=16 (local.get $query)))))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (local.set $query (i32.add (local.get $query) (i32.const 32)))
      (br_if $chunks (i32.lt_u (local.get $row) (local.get $end))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $acc)) (i32x4.extract_lane 1 (local.get $acc)))
      (i32.add (i32x4.extract_lane 2 (local.get $acc)) (i32x4.extract_lane 3 (local.get $acc)))))

  ;; For persons [from, to): best over their rows of dot(codes, query) * scale, written to best[person].
  (func (export "scan")
    (param $codes i32) (param $scales i32) (param $starts i32) (param $query i32) (param $best i32)
    (param $from i32) (param $to i32) (param $dim i32)
    (local $person i32) (local $row i32) (local $end i32) (local $top f32)
    (local.set $person (local.get $from))
    (block $persons_done
      (loop $persons
        (br_if $persons_done (i32.ge_u (local.get $person) (local.get $to)))
        (local.set $row (i32.load (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        (local.set $top (f32.const -inf))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $row) (local.get $end)))
            (local.set $top (f32.max (local.get $top)
              (f32.mul
                (f32.convert_i32_s
                  (call $dot (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim)))
                    (local.get $query) (local.get $dim)))
                (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $rows)))
        (f32.store (i32.add (local.get $best) (i32.shl (local.get $person) (i32.const 2))) (local.get $top))
        (local.set $person (i32.add (local.get $person) (i32.const 1)))
        (br $persons))))

  ;; For the count persons listed at persons: best over their rows of the two-stage score
  ;; dot(codes, query) * scale + dot(residualCodes, query) * residualScale, written to best[i].
  (func (export "refine")
    (param $codes i32) (param $scales i32) (param $residualCodes i32) (param $residualScales i32)
    (param $starts i32) (param $query i32) (param $persons i32) (param $count i32) (param $best i32) (param $dim i32)
    (local $i i32) (local $person i32) (local $row i32) (local $end i32) (local $top f32) (local $offset i32)
    (block $persons_done
      (loop $persons
        (br_if $persons_done (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $person (i32.load (i32.add (local.get $persons) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $row (i32.load (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        (local.set $top (f32.const -inf))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $row) (local.get $end)))
            (local.set $offset (i32.mul (local.get $row) (local.get $dim)))
            (local.set $top (f32.max (local.get $top)
              (f32.add
                (f32.mul
                  (f32.convert_i32_s
                    (call $dot (i32.add (local.get $codes) (local.get $offset)) (local.get $query) (local.get $dim)))
                  (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))
                (f32.mul
                  (f32.convert_i32_s
                    (call $dot (i32.add (local.get $residualCodes) (local.get $offset)) (local.get $query) (local.get $dim)))
                  (f32.load (i32.add (local.get $residualScales) (i32.shl (local.get $row) (i32.const 2))))))))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $rows)))
        (f32.store (i32.add (local.get $best) (i32.shl (local.get $i) (i32.const 2))) (local.get $top))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $persons)))))
