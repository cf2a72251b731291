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

  ;; Dot products of four consecutive rows (row, row + dim, ...) with the query, as one i32x4: each chunk of the
  ;; query is loaded once for the four rows, and the four sums are reduced together.
  (func $dot4 (param $row i32) (param $query i32) (param $dim i32) (result v128)
    (local $end i32) (local $low v128) (local $high v128) (local $codes v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $end (i32.add (local.get $row) (local.get $dim)))
    (local.set $r1 (i32.add (local.get $row) (local.get $dim)))
    (local.set $r2 (i32.add (local.get $r1) (local.get $dim)))
    (local.set $r3 (i32.add (local.get $r2) (local.get $dim)))
    (loop $chunks
      (local.set $low (v128.load (local.get $query)))
      (local.set $high (v128.load offset=16 (local.get $query)))
      (local.set $codes (v128.load (local.get $row)))
      (local.set $a (i32x4.add (local.get $a) (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $codes)) (local.get $low))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $codes)) (local.get $high)))))
      (local.set $codes (v128.load (local.get $r1)))
      (local.set $b (i32x4.add (local.get $b) (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $codes)) (local.get $low))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $codes)) (local.get $high)))))
      (local.set $codes (v128.load (local.get $r2)))
      (local.set $c (i32x4.add (local.get $c) (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $codes)) (local.get $low))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $codes)) (local.get $high)))))
      (local.set $codes (v128.load (local.get $r3)))
      (local.set $d (i32x4.add (local.get $d) (i32x4.add
        (i32x4.dot_i16x8_s (i16x8.extend_low_i8x16_s (local.get $codes)) (local.get $low))
        (i32x4.dot_i16x8_s (i16x8.extend_high_i8x16_s (local.get $codes)) (local.get $high)))))
      (local.set $row (i32.add (local.get $row) (i32.const 16)))
      (local.set $r1 (i32.add (local.get $r1) (i32.const 16)))
      (local.set $r2 (i32.add (local.get $r2) (i32.const 16)))
      (local.set $r3 (i32.add (local.get $r3) (i32.const 16)))
      (local.set $query (i32.add (local.get $query) (i32.const 32)))
      (br_if $chunks (i32.lt_u (local.get $row) (local.get $end))))
    ;; [a0+a2 b0+b2 a1+a3 b1+b3] and the same of c, d; then [a b c d].
    (local.set $a (i32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b))))
    (local.set $c (i32x4.add
      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $d))
      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $d))))
    (i32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $c))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $c))))

  ;; One query: rows four at a time, whoever's they are; each score then goes to its person's best.
  (func $scan_one
    (param $codes i32) (param $scales i32) (param $starts i32) (param $query i32) (param $best i32)
    (param $from i32) (param $to i32) (param $dim i32)
    (local $person i32) (local $row i32) (local $last i32) (local $next i32) (local $top f32) (local $scores v128)
    (local $lane i32) (local $width i32) (local $score f32)
    (if (i32.ge_u (local.get $from) (local.get $to)) (then (return)))
    (local.set $person (local.get $from))
    (local.set $row (i32.load (i32.add (local.get $starts) (i32.shl (local.get $from) (i32.const 2)))))
    (local.set $last (i32.load (i32.add (local.get $starts) (i32.shl (local.get $to) (i32.const 2)))))
    (local.set $next (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $from) (i32.const 2)))))
    (local.set $top (f32.const -inf))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $last)))
        (if (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $last))
          (then
            (local.set $width (i32.const 4))
            (local.set $scores (f32x4.mul
              (f32x4.convert_i32x4_s
                (call $dot4 (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim)))
                  (local.get $query) (local.get $dim)))
              (v128.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))))
          (else
            (local.set $width (i32.const 1))
            (local.set $scores (f32x4.splat (f32.mul
              (f32.convert_i32_s
                (call $dot (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim)))
                  (local.get $query) (local.get $dim)))
              (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))))))
        ;; The block's rows in order (one at a time when fewer than four are left): a row past the person's last closes the
        ;; person (persons without rows in between get -inf).
        (local.set $lane (i32.const 0))
        (loop $lanes
          (local.set $score (f32x4.extract_lane 0 (local.get $scores)))
          (local.set $scores (i8x16.shuffle 4 5 6 7 8 9 10 11 12 13 14 15 0 1 2 3 (local.get $scores) (local.get $scores)))
          (block $placed
            (loop $persons
              (br_if $placed (i32.lt_u (local.get $row) (local.get $next)))
              (f32.store (i32.add (local.get $best) (i32.shl (local.get $person) (i32.const 2))) (local.get $top))
              (local.set $top (f32.const -inf))
              (local.set $person (i32.add (local.get $person) (i32.const 1)))
              (local.set $next (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
              (br $persons)))
          (local.set $top (f32.max (local.get $top) (local.get $score)))
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
          (br_if $lanes (i32.lt_u (local.get $lane) (local.get $width))))
        (br $rows)))
    ;; The last person with rows, and any without rows after it.
    (block $closed
      (loop $persons
        (br_if $closed (i32.ge_u (local.get $person) (local.get $to)))
        (f32.store (i32.add (local.get $best) (i32.shl (local.get $person) (i32.const 2))) (local.get $top))
        (local.set $top (f32.const -inf))
        (local.set $person (i32.add (local.get $person) (i32.const 1)))
        (br $persons))))

  ;; The person of a row, from the person and the start of the next person of an earlier row (rows are grouped by
  ;; person, in order): returns the row's person and the start of the person after it.
  (func $advance (param $person i32) (param $next i32) (param $row i32) (param $starts i32) (result i32 i32)
    (block $found
      (loop $persons
        (br_if $found (i32.lt_u (local.get $row) (local.get $next)))
        (local.set $person (i32.add (local.get $person) (i32.const 1)))
        (local.set $next (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $person) (i32.const 2)))))
        (br $persons)))
    (local.get $person) (local.get $next))

  ;; For persons [from, to) and each of the count int16 queries at queries (dim values apart):
  ;; best[q * persons + person] = max over the person's rows of dot(codes, query q) * scale. Rows go four at a time
  ;; through every query: read from memory once, the later queries find them in cache.
  (func (export "scan")
    (param $codes i32) (param $scales i32) (param $starts i32) (param $queries i32) (param $count i32)
    (param $best i32) (param $persons i32) (param $from i32) (param $to i32) (param $dim i32)
    (local $person i32) (local $row i32) (local $last i32) (local $next i32) (local $q i32) (local $rowAt i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $at i32) (local $out i32)
    (local $query i32) (local $queryStride i32) (local $bestStride i32) (local $scales4 v128) (local $scores v128)
    (local $scale f32)
    (if (i32.eq (local.get $count) (i32.const 1))
      (then
        (call $scan_one (local.get $codes) (local.get $scales) (local.get $starts) (local.get $queries)
          (local.get $best) (local.get $from) (local.get $to) (local.get $dim))
        (return)))
    (if (i32.ge_u (local.get $from) (local.get $to)) (then (return)))
    (local.set $queryStride (i32.shl (local.get $dim) (i32.const 1)))
    (local.set $bestStride (i32.shl (local.get $persons) (i32.const 2)))
    ;; best[q][person] = -inf for every query and person of the range
    (local.set $q (i32.const 0))
    (loop $clear_queries
      (local.set $out (i32.add (i32.add (local.get $best) (i32.mul (local.get $q) (local.get $bestStride)))
        (i32.shl (local.get $from) (i32.const 2))))
      (local.set $person (local.get $from))
      (loop $clear_persons
        (f32.store (local.get $out) (f32.const -inf))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $person (i32.add (local.get $person) (i32.const 1)))
        (br_if $clear_persons (i32.lt_u (local.get $person) (local.get $to))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br_if $clear_queries (i32.lt_u (local.get $q) (local.get $count))))
    (local.set $person (local.get $from))
    (local.set $row (i32.load (i32.add (local.get $starts) (i32.shl (local.get $from) (i32.const 2)))))
    (local.set $last (i32.load (i32.add (local.get $starts) (i32.shl (local.get $to) (i32.const 2)))))
    (local.set $next (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $from) (i32.const 2)))))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $last)))
        (call $advance (local.get $person) (local.get $next) (local.get $row) (local.get $starts))
        (local.set $next)
        (local.set $person)
        (local.set $p0 (i32.shl (local.get $person) (i32.const 2)))
        (local.set $rowAt (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim))))
        (local.set $query (local.get $queries))
        (local.set $out (local.get $best))
        (local.set $q (i32.const 0))
        (if (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $last))
          (then
            ;; The persons of the other three rows (byte offsets, as p0).
            (call $advance (local.get $person) (local.get $next) (i32.add (local.get $row) (i32.const 1))
              (local.get $starts))
            (local.set $next)
            (local.set $person)
            (local.set $p1 (i32.shl (local.get $person) (i32.const 2)))
            (call $advance (local.get $person) (local.get $next) (i32.add (local.get $row) (i32.const 2))
              (local.get $starts))
            (local.set $next)
            (local.set $person)
            (local.set $p2 (i32.shl (local.get $person) (i32.const 2)))
            (call $advance (local.get $person) (local.get $next) (i32.add (local.get $row) (i32.const 3))
              (local.get $starts))
            (local.set $next)
            (local.set $person)
            (local.set $p3 (i32.shl (local.get $person) (i32.const 2)))
            (local.set $scales4 (v128.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))
            (loop $queries4
              (local.set $scores (f32x4.mul
                (f32x4.convert_i32x4_s (call $dot4 (local.get $rowAt) (local.get $query) (local.get $dim)))
                (local.get $scales4)))
              (local.set $at (i32.add (local.get $out) (local.get $p0)))
              (f32.store (local.get $at) (f32.max (f32.load (local.get $at)) (f32x4.extract_lane 0 (local.get $scores))))
              (local.set $at (i32.add (local.get $out) (local.get $p1)))
              (f32.store (local.get $at) (f32.max (f32.load (local.get $at)) (f32x4.extract_lane 1 (local.get $scores))))
              (local.set $at (i32.add (local.get $out) (local.get $p2)))
              (f32.store (local.get $at) (f32.max (f32.load (local.get $at)) (f32x4.extract_lane 2 (local.get $scores))))
              (local.set $at (i32.add (local.get $out) (local.get $p3)))
              (f32.store (local.get $at) (f32.max (f32.load (local.get $at)) (f32x4.extract_lane 3 (local.get $scores))))
              (local.set $query (i32.add (local.get $query) (local.get $queryStride)))
              (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br_if $queries4 (i32.lt_u (local.get $q) (local.get $count))))
            (local.set $row (i32.add (local.get $row) (i32.const 4))))
          (else
            ;; Fewer than four rows left: one at a time.
            (local.set $scale (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))
            (loop $queries1
              (local.set $at (i32.add (local.get $out) (local.get $p0)))
              (f32.store (local.get $at) (f32.max (f32.load (local.get $at))
                (f32.mul
                  (f32.convert_i32_s (call $dot (local.get $rowAt) (local.get $query) (local.get $dim)))
                  (local.get $scale))))
              (local.set $query (i32.add (local.get $query) (local.get $queryStride)))
              (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
              (local.set $q (i32.add (local.get $q) (i32.const 1)))
              (br_if $queries1 (i32.lt_u (local.get $q) (local.get $count))))
            (local.set $row (i32.add (local.get $row) (i32.const 1)))))
        (br $rows))))

  ;; The scan where every person has exactly one row (a large face list, whose faces are its entries): for rows
  ;; [from, to) and each of the count queries, best[q * persons + row] = dot(codes, query q) * scale, four rows at a
  ;; time and stored as they are, with no person to close. Takes scan's parameters; starts goes unused.
  (func (export "scanEntries")
    (param $codes i32) (param $scales i32) (param $starts i32) (param $queries i32) (param $count i32)
    (param $best i32) (param $persons i32) (param $from i32) (param $to i32) (param $dim i32)
    (local $row i32) (local $rowAt i32) (local $q i32) (local $query i32) (local $out i32) (local $scales4 v128)
    (local $queryStride i32) (local $bestStride i32) (local $scale f32)
    (local.set $queryStride (i32.shl (local.get $dim) (i32.const 1)))
    (local.set $bestStride (i32.shl (local.get $persons) (i32.const 2)))
    (local.set $row (local.get $from))
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.gt_u (i32.add (local.get $row) (i32.const 4)) (local.get $to)))
        (local.set $rowAt (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim))))
        (local.set $scales4 (v128.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $query (local.get $queries))
        (local.set $out (i32.add (local.get $best) (i32.shl (local.get $row) (i32.const 2))))
        (local.set $q (i32.const 0))
        (loop $queries4
          (v128.store (local.get $out) (f32x4.mul
            (f32x4.convert_i32x4_s (call $dot4 (local.get $rowAt) (local.get $query) (local.get $dim)))
            (local.get $scales4)))
          (local.set $query (i32.add (local.get $query) (local.get $queryStride)))
          (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $queries4 (i32.lt_u (local.get $q) (local.get $count))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $blocks)))
    ;; Fewer than four rows left: one at a time.
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $to)))
        (local.set $rowAt (i32.add (local.get $codes) (i32.mul (local.get $row) (local.get $dim))))
        (local.set $scale (f32.load (i32.add (local.get $scales) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $query (local.get $queries))
        (local.set $out (i32.add (local.get $best) (i32.shl (local.get $row) (i32.const 2))))
        (local.set $q (i32.const 0))
        (loop $queries1
          (f32.store (local.get $out) (f32.mul
            (f32.convert_i32_s (call $dot (local.get $rowAt) (local.get $query) (local.get $dim)))
            (local.get $scale)))
          (local.set $query (i32.add (local.get $query) (local.get $queryStride)))
          (local.set $out (i32.add (local.get $out) (local.get $bestStride)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br_if $queries1 (i32.lt_u (local.get $q) (local.get $count))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

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
        (br $persons))))
  ;; The indices p in [0, count) with scores[p] >= threshold, written in order to out; returns how many. Sixteen
  ;; scores are compared at a time, and most groups of sixteen have none to write.
  (func (export "collect")
    (param $scores i32) (param $count i32) (param $threshold f32) (param $out i32) (result i32)
    (local $p i32) (local $found i32) (local $limit v128) (local $end i32) (local $k i32) (local $at i32)
    (local.set $limit (f32x4.splat (local.get $threshold)))
    (local.set $end (i32.and (local.get $count) (i32.const -16)))
    (block $groups_done
      (loop $groups
        (br_if $groups_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $at (i32.add (local.get $scores) (i32.shl (local.get $p) (i32.const 2))))
        (if (v128.any_true (v128.or
              (v128.or
                (f32x4.ge (v128.load (local.get $at)) (local.get $limit))
                (f32x4.ge (v128.load offset=16 (local.get $at)) (local.get $limit)))
              (v128.or
                (f32x4.ge (v128.load offset=32 (local.get $at)) (local.get $limit))
                (f32x4.ge (v128.load offset=48 (local.get $at)) (local.get $limit)))))
          (then
            (local.set $k (i32.add (local.get $p) (i32.const 16)))
            (loop $each
              (if (f32.ge (f32.load (i32.add (local.get $scores) (i32.shl (local.get $p) (i32.const 2))))
                    (local.get $threshold))
                (then
                  (i32.store (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2))) (local.get $p))
                  (local.set $found (i32.add (local.get $found) (i32.const 1)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $each (i32.lt_u (local.get $p) (local.get $k)))))
          (else (local.set $p (i32.add (local.get $p) (i32.const 16)))))
        (br $groups)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $p) (local.get $count)))
        (if (f32.ge (f32.load (i32.add (local.get $scores) (i32.shl (local.get $p) (i32.const 2))))
              (local.get $threshold))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2))) (local.get $p))
            (local.set $found (i32.add (local.get $found) (i32.const 1)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (local.get $found))
)
