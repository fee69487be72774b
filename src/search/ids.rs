//! The encoding of sorted id lists in the index files: gaps in base 32,
//! or a bitmap, whichever is shorter. `assets/search.js` decodes it.

/// The 64 characters of the encodings; all are safe in JSON and URLs.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-";

/// Encodes sorted ids as the shorter of two forms: `d` + gaps in base 32
/// (a digit of 32–63 means more digits follow), or `b` + a bitmap of
/// `count` bits, six to a character.
pub fn encode_ids(ids: &[u32], count: usize) -> String {
    let mut gaps = String::from("d");
    let mut last = 0u32;
    for (i, &id) in ids.iter().enumerate() {
        let mut n = if i == 0 { id } else { id - last };
        last = id;
        while n >= 32 {
            gaps.push(DIGITS[32 + (n & 31) as usize] as char);
            n >>= 5;
        }
        gaps.push(DIGITS[n as usize] as char);
    }
    let bitmap_len = count.div_ceil(6) + 1;
    if gaps.len() <= bitmap_len {
        return gaps;
    }
    let mut bits = vec![0u8; count.div_ceil(6)];
    for &id in ids {
        bits[id as usize / 6] |= 1 << (id % 6);
    }
    std::iter::once('b')
        .chain(bits.into_iter().map(|b| DIGITS[b as usize] as char))
        .collect()
}

/// Reads what [`encode_ids`] wrote.
pub fn decode_ids(s: &str) -> Vec<u32> {
    let value = |b: u8| DIGITS.iter().position(|d| *d == b).unwrap_or(0) as u32;
    let mut ids = Vec::new();
    match s.as_bytes().split_first() {
        Some((b'b', bits)) => {
            for (i, b) in bits.iter().enumerate() {
                let v = value(*b);
                for bit in 0..6 {
                    if v & (1 << bit) != 0 {
                        ids.push((i * 6 + bit) as u32);
                    }
                }
            }
        }
        Some((b'd', digits)) => {
            let (mut n, mut shift, mut last) = (0u32, 0u32, 0u32);
            for b in digits {
                let v = value(*b);
                n |= (v & 31) << shift;
                shift += 5;
                if v < 32 {
                    last = if ids.is_empty() { n } else { last + n };
                    ids.push(last);
                    n = 0;
                    shift = 0;
                }
            }
        }
        _ => {}
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_in_both_encodings() {
        let sparse = vec![3, 40, 1000, 1001, 70_000];
        let e = encode_ids(&sparse, 100_000);
        assert!(e.starts_with('d'));
        assert_eq!(decode_ids(&e), sparse);
        let dense: Vec<u32> = (0..1000).filter(|i| i % 3 != 0).collect();
        let e = encode_ids(&dense, 1000);
        assert!(e.starts_with('b'), "{e}");
        assert_eq!(decode_ids(&e), dense);
        assert_eq!(decode_ids(&encode_ids(&[], 10)), Vec::<u32>::new());
    }
}
