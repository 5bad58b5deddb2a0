;; The todo scan's pre-filter: where, if anywhere, the first of up to 16 tags occurs as a whole
;; word in a file's bytes, ignoring the case of ASCII letters. Most files hold no tag at all; this
;; answers that with 16 bytes per step (WebAssembly SIMD) on the bytes as read, before any string
;; is made of them.
;;
;; `first` answers the offset of the first whole-word occurrence, as `/\b(?:TODO|FIXME|…)\b/i`
;; over a latin1 view finds it; else -2 when a tag occurs only inside words (`debug`), as
;; `/TODO|FIXME|…/i` finds it; else -1.
;; Asked again from a later offset, it finds the next one there, so the scanner never runs that
;; expression over a file's bytes. Tags are ASCII words, and JavaScript's case-insensitive
;; matching folds no non-ASCII character onto an ASCII one; `\b` is between [A-Za-z0-9_] and the
;; rest. A property test checks the answers against those expressions (prefilter.test.ts).
;;
;; Candidates are found as the Teddy algorithm (Hyperscan, Rust's aho-corasick) finds them: each
;; tag owns a bit (tags 8 apart share one), and six 16-entry tables, indexed by the low and the
;; high half of a byte, say which tags' first, second and third byte have that half. A position
;; where some tag's bit survives the AND of all six lookups is where that tag's first three bytes
;; may start (a tag shorter than three bytes has its bit set throughout the tables it has no byte
;; for). The two cases of a letter differ only in the high half (0x20), so the high-half tables
;; list both: no folding step. The cost per 16 bytes is the same for 1 tag or 16, and three bytes
;; make candidates rare ("to" is everywhere in code, "tod" is not); each is then checked byte by
;; byte. Three bytes instead of two made the filter 1.4× faster on the bench tree, and this
;; layout 3.5× faster than a compare per tag.
;;
;; Memory layout:
;;   [0, 2048)     tags: tag k (k < 16) at 128*k: its length (1 byte), its up to 32 bytes with
;;                 ASCII letters in lower case at 128*k+1, and at 128*k+33 a mask per byte, 0x20
;;                 for a letter (so that `byte | mask` folds upper onto lower case) and 0 otherwise;
;;                 at 128*k+127, 1 when its last byte is a word character (then a word boundary
;;                 must follow it).
;;   [2048, 2144)  the six tables: first byte by low half, by high half; second byte, likewise;
;;                 third byte, likewise.
;;   [4096, ...)   the file's bytes, followed by at least 32 bytes of slack that loads may touch
;;                 (17 past the end at most).
(module
  (memory (export "memory") 2)

  ;; Whether tag k occurs at q (all its bytes before end).
  (func $at (param $k i32) (param $q i32) (param $end i32) (result i32)
    (local $base i32) (local $len i32) (local $j i32)
    (local.set $base (i32.shl (local.get $k) (i32.const 7)))
    (local.set $len (i32.load8_u (local.get $base)))
    (if (i32.gt_u (i32.add (local.get $q) (local.get $len)) (local.get $end))
      (then (return (i32.const 0))))
    (loop $next
      (if (i32.ge_u (local.get $j) (local.get $len))
        (then (return (i32.const 1))))
      (if (i32.ne
            (i32.or
              (i32.load8_u (i32.add (local.get $q) (local.get $j)))
              (i32.load8_u offset=33 (i32.add (local.get $base) (local.get $j))))
            (i32.load8_u offset=1 (i32.add (local.get $base) (local.get $j))))
        (then (return (i32.const 0))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next))
    (i32.const 0))

  ;; Whether byte b is a word character: [A-Za-z0-9_].
  (func $word (param $b i32) (result i32)
    (i32.or
      (i32.lt_u (i32.sub (i32.or (local.get $b) (i32.const 0x20)) (i32.const 0x61)) (i32.const 26))
      (i32.or
        (i32.lt_u (i32.sub (local.get $b) (i32.const 0x30)) (i32.const 10))
        (i32.eq (local.get $b) (i32.const 0x5f)))))

  ;; What occurs at q: 2 when one of the first n tags does as a whole word, 1 when one does only
  ;; inside a word, 0 when none does.
  (func $any (param $n i32) (param $q i32) (param $origin i32) (param $end i32) (result i32)
    (local $k i32) (local $found i32) (local $base i32) (local $after i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
        (if (call $at (local.get $k) (local.get $q) (local.get $end))
          (then
            (local.set $found (i32.const 1))
            (local.set $base (i32.shl (local.get $k) (i32.const 7)))
            (local.set $after (i32.add (local.get $q) (i32.load8_u (local.get $base))))
            (if (i32.and
                  ;; a boundary before: the origin, or no word character
                  (i32.or
                    (i32.eq (local.get $q) (local.get $origin))
                    (i32.eqz (call $word (i32.load8_u (i32.sub (local.get $q) (i32.const 1))))))
                  ;; a boundary after, when the tag ends with a word character
                  (i32.or
                    (i32.eqz (i32.load8_u offset=127 (local.get $base)))
                    (i32.or
                      (i32.eq (local.get $after) (local.get $end))
                      (i32.eqz (call $word (i32.load8_u (local.get $after)))))))
              (then (return (i32.const 2))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.get $found))

  ;; The offset (from origin) of the first whole-word occurrence of any of the first n tags in
  ;; [start, end); else -2 when one occurs inside a word; else -1. The file begins at origin
  ;; (origin <= start): a word boundary is judged by the bytes before start, as a regular
  ;; expression's lastIndex would be.
  (func (export "first") (param $n i32) (param $origin i32) (param $start i32) (param $end i32) (result i32)
    (local $p i32) (local $b0 v128) (local $b1 v128) (local $hit v128)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $low v128)
    (local $lo2 v128) (local $hi2 v128) (local $b2 v128)
    (local $bits i32) (local $i i32) (local $raw i32) (local $what i32)
    (local.set $lo0 (v128.load (i32.const 2048)))
    (local.set $hi0 (v128.load (i32.const 2064)))
    (local.set $lo1 (v128.load (i32.const 2080)))
    (local.set $hi1 (v128.load (i32.const 2096)))
    (local.set $lo2 (v128.load (i32.const 2112)))
    (local.set $hi2 (v128.load (i32.const 2128)))
    (local.set $low (i8x16.splat (i32.const 0x0f)))
    (local.set $p (local.get $start))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $b0 (v128.load (local.get $p)))
        (local.set $b1 (v128.load offset=1 (local.get $p)))
        (local.set $b2 (v128.load offset=2 (local.get $p)))
        ;; Tags whose first byte is at each position, followed by their second and third.
        (local.set $hit
          (v128.and
            (v128.and
              (i8x16.swizzle (local.get $lo0) (v128.and (local.get $b0) (local.get $low)))
              (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $b0) (i32.const 4))))
            (v128.and
              (v128.and
                (i8x16.swizzle (local.get $lo1) (v128.and (local.get $b1) (local.get $low)))
                (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $b1) (i32.const 4))))
              (v128.and
                (i8x16.swizzle (local.get $lo2) (v128.and (local.get $b2) (local.get $low)))
                (i8x16.swizzle (local.get $hi2) (i8x16.shr_u (local.get $b2) (i32.const 4)))))))
        (if (v128.any_true (local.get $hit))
          (then
            (local.set $bits
              (i32.xor (i8x16.bitmask (i8x16.eq (local.get $hit) (v128.const i64x2 0 0))) (i32.const 0xffff)))
            (block $checked
              (loop $candidate
                (br_if $checked (i32.eqz (local.get $bits)))
                (local.set $i (i32.add (local.get $p) (i32.ctz (local.get $bits))))
                (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $what (call $any (local.get $n) (local.get $i) (local.get $origin) (local.get $end)))
                (if (i32.eq (local.get $what) (i32.const 2))
                  (then (return (i32.sub (local.get $i) (local.get $origin)))))
                (local.set $raw (i32.or (local.get $raw) (local.get $what)))
                ;; clear the lowest set bit
                (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
                (br $candidate)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (select (i32.const -2) (i32.const -1) (local.get $raw)))
)
