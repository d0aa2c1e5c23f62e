//! yaml.v2's order of map keys (`keyList.Less` in `sorter.go`) for string keys.

use unicode_general_category::{GeneralCategory as Gc, get_general_category};

/// Go's `unicode.IsLetter`: general category L (Lu, Ll, Lt, Lm, Lo).
fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::UppercaseLetter
            | Gc::LowercaseLetter
            | Gc::TitlecaseLetter
            | Gc::ModifierLetter
            | Gc::OtherLetter
    )
}

/// Go's `unicode.IsDigit`: general category Nd.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (c as u32 > 0xff && get_general_category(c) == Gc::DecimalNumber)
}

/// yaml.v2's "natural" order of two string keys: `a` sorts before `b`.
///
/// Rune by rune; at the first difference, two letters compare as code points, a letter
/// sorts after a non-letter, and otherwise the runs of digits starting there compare by
/// value (as Go: `int64` arithmetic that wraps, a rune's value being `r - '0'` even for
/// non-ASCII digits; a zero continues the run of digits before it), then by length, then the
/// runes. A prefix sorts first.
///
/// ```
/// use flyte_ray_fmt::goyaml::natural_less;
/// assert!(natural_less("a2", "a10")); // digit runs by value
/// assert!(natural_less("a_b", "aa")); // a letter sorts after a non-letter
/// assert!(natural_less("B", "a")); // two letters: code points
/// assert!(natural_less("a", "ab"));
/// assert!(natural_less("a1b", "a01b")); // same value: the shorter run first
/// ```
pub fn natural_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let al = is_letter(ar[i]);
        let bl = is_letter(br[i]);
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let run = |r: &[char], n: &mut i64| {
            let mut k = i;
            while k < r.len() && is_digit(r[k]) {
                *n = n
                    .wrapping_mul(10)
                    .wrapping_add(i64::from(r[k] as i32 - '0' as i32));
                k += 1;
            }
            k
        };
        let ai = run(&ar, &mut an);
        let bi = run(&br, &mut bn);
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

/// Sorts with [`natural_less`] by merging: `natural_less` is not guaranteed to be a total
/// order on odd keys (nor is Go's result then: `sort.Sort` is unstable and Go's map order is
/// random), and the standard library's sorts may panic on such a comparator; a merge sort
/// cannot.
pub(crate) fn sort_keys<T>(items: &mut Vec<(&str, T)>) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let mut src: Vec<Option<(&str, T)>> = items.drain(..).map(Some).collect();
    let mut width = 1;
    while width < n {
        let mut dst: Vec<Option<(&str, T)>> = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            while i < mid || j < end {
                let take_right = if i == mid {
                    true
                } else if j == end {
                    false
                } else {
                    match (&src[i], &src[j]) {
                        (Some(l), Some(r)) => natural_less(r.0, l.0),
                        _ => false,
                    }
                };
                let k = if take_right { &mut j } else { &mut i };
                dst.push(src[*k].take());
                *k += 1;
            }
            start = end;
        }
        src = dst;
        width *= 2;
    }
    items.extend(src.into_iter().flatten());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_sort_orders_like_natural_less() {
        let keys = ["b", "a10", "a2", "A", "_", "a", "a01", "a1", "0", ""];
        let mut items: Vec<(&str, ())> = keys.iter().map(|k| (*k, ())).collect();
        sort_keys(&mut items);
        let sorted: Vec<&str> = items.iter().map(|x| x.0).collect();
        for w in sorted.windows(2) {
            assert!(!natural_less(w[1], w[0]), "{sorted:?}");
        }
        assert_eq!(sorted.len(), keys.len());
        assert!(!natural_less("x", "x"));
    }
}
