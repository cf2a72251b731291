;; Similarity scan over a quantised snapshot (see training-snapshot.ts for the layout).
;; Rows are int8 codes grouped by person; queries are int16. i32x4.dot_i16x8_s multiplies eight lanes at a
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

  ;; Dot products of one row with two queries (q and q + dim values): the row is loaded and widened once.
  (func $dot2 (param $row i32) (param $query i32) (param $stride i32) (param $dim i32) (result i32 i32)
    (local $end i32) (local $a v128) (local $b v128) (local $low v128) (local $high v128) (local $codes v128)
    (local $other i32)
    (local.set $end (i32.add (local.get $row) (local.get $dim)))
    (local.set $other (i32.add (local.get $query) (local.get $stride)))
    (loop $chunks
      (local.set $codes (v128.load (local.get $row)))
      (local.set $low (i16x8.extend_low_i8x16_s (local.get $codes)))
      (local.set $high (i16x8.extend_high_i8x16_s (local.get $codes)))
      (local.set $a (i32x4.add (local.get $a) (i32x4.add
        (i32x4.dot_i16x8_s (local.get $low) (v128.load (local.get $query)))
        (i32x4.dot_i16x8_s (local.get $high) (v128.load offset=16 (local.get $query))))))
      (local.set $b (i32x4.add (local.get $b) (i32x4.add
        (i32x4.dot_i16x8_s (local.get $low) (v128.load (local.get $other)))
        (i32x4.dot_i16x8_s (local.get $high) (v128.load offset=16 (local.get $other))))))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (local.set $query (i32.add (local.get $query) (i32.const 32)))
      (local.set $other (i32.add (local.get $other) (i32.const 32)))
      (br_if $chunks (i32.lt_u (local.get $row) (local.get $end))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $a)) (i32x4.extract_lane 1 (local.get $a)))
      (i32.add (i32x4.extract_lane 2 (local.get $a)) (i32x4.extract_lane 3 (local.get $a))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $b)) (i32x4.extract_lane 1 (local.get $b)))
      (i32.add (i32x4.extract_lane 2 (local.get $b)) (i32x4.extract_lane 3 (local.get $b)))))

  ;; One query: the loop without the batch's bookkeeping (about 10 % faster), for the common single-face identify.
  (func $scan_one
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

  ;; For persons [from, to) and each of the count int16 queries at queries (dim values apart):
  ;; best[q * persons + person] = max over the person's rows of dot(codes, query q) * scale. A row is read from
  ;; memory once for all the queries (the later ones find it in cache): a batch costs little more than one query.
  (func (export "scan")
    (param $codes i32) (param $scales i32) (param $starts i32) (param $queries i32) (param $count i32)
    (param $best i32) (param $persons i32) (param $from i32) (param $to i32) (param $dim i32)
    (local $person i32) (local $row i32) (local $end i32) (local $q i32) (local $rowAt i32) (local $scale f32)
    (local $out i32) (local $query i32) (local $queryStride i32) (local $bestStride i32)
    (local $first i32) (local $second i32)
    (if (i32.eq (local.get $count) (i32.const 1))
      (then
        (call $scan_one (local.get $codes) (local.get $scales) (local.get $starts) (local.get $queries)
          (local.get $best) (local.get $from) (local.get $to) (local.get $dim))
        (return)))
    (local.set $queryStride (i32.shl (local.get $dim) (i32.const 1)))
    (local.set $bestStride (i32.shl (local.get $persons) (i32.const 2)))
    (local.set $person (local.get $from))
    (block $persons_done
      (loop $persons
        (br_if $persons_done (i32.ge_u (local.get $person) (local.get $to)))
        (local.set $row (i32.load (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        ;; best[q][person] = -inf for every query
        (local.set $out (i32.add (local.get $best) (i32.shl (local.get $person) (i32.const 2))))
        (local.set $q (i32.const 0))
        (loop $clear
          (f32.store (local.get $out) (f32.const -inf))
          (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $clear (i32.lt_u (local.get $q) (local.get $count))))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $row) (local.get $end)))
            (local.set $rowAt (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim))))
            (local.set $scale (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))
            (local.set $out (i32.add (local.get $best) (i32.shl (local.get $person) (i32.const 2))))
            (local.set $query (local.get $queries))
            (local.set $q (i32.const 0))
            ;; Two queries per pass while two are left, then the last one alone.
            (block $pairs_done
              (loop $pairs
                (br_if $pairs_done (i32.gt_u (i32.add (local.get $q) (i32.const 2)) (local.get $count)))
                (call $dot2 (local.get $rowAt) (local.get $query) (local.get $queryStride) (local.get $dim))
                (local.set $second)
                (local.set $first)
                (f32.store (local.get $out) (f32.max (f32.load (local.get $out))
                  (f32.mul (f32.convert_i32_s (local.get $first)) (local.get $scale))))
                (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
                (f32.store (local.get $out) (f32.max (f32.load (local.get $out))
                  (f32.mul (f32.convert_i32_s (local.get $second)) (local.get $scale))))
                (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
                (local.set $query (i32.add (local.get $query) (i32.shl (local.get $queryStride) (i32.const 1))))
                (local.set $q (i32.add (local.get $q) (i32.const 2)))
                (br $pairs)))
            (if (i32.lt_u (local.get $q) (local.get $count))
              (then
                (f32.store (local.get $out) (f32.max (f32.load (local.get $out))
                  (f32.mul
                    (f32.convert_i32_s (call $dot (local.get $rowAt) (local.get $query) (local.get $dim)))
                    (local.get $scale))))))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))
            (br $rows)))
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
