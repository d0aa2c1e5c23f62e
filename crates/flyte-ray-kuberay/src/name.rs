//! Names as propeller makes them (RENDERING.md §3 and §8): the fixed-length
//! unique id (`FixedLengthUniqueIDForParts`: joined parts, or `"f"` +
//! base32 of the 32-bit FNV-1a hash when too long), the CR name conversion
//! for names that are not DNS-1123 subdomains, and `{{.PerRetryUniqueKey}}`.
//!
//! FNV-1a and the lower-case base32 alphabet are a few lines each; written
//! here rather than pulling two crates for them.

/// The alphabet of propeller's base32 (RFC 4648 with `a`–`z`, `1`–`6`).
const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz123456";

/// The 32-bit FNV-1a hash.
fn fnv32a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Base32 (propeller's alphabet, no padding) of `bytes`.
pub(crate) fn b32(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// `"f"` + base32 of the FNV-1a hash of `s` (8 characters).
pub(crate) fn hashed(s: &str) -> String {
    format!("f{}", b32(&fnv32a(s).to_be_bytes()))
}

/// Propeller's `FixedLengthUniqueIDForParts(max, parts)`: the parts joined
/// with `-` (an empty leading part adds no `-`), or, when that is longer
/// than `max` bytes, `"f"` + base32(fnv32a(joined)).
///
/// ```
/// use flyte_ray_kuberay::fixed_length_unique_id_for_parts as id;
///
/// assert_eq!(id(47, &["a1b2c3d4e5f6g7h8i9j0", "n0", "0"]), "a1b2c3d4e5f6g7h8i9j0-n0-0");
/// assert_eq!(id(1, &["x", "y"]), "fz2jizji");
/// assert_eq!(id(20, &["", "", "n0"]), "n0");
/// ```
pub fn fixed_length_unique_id_for_parts(max: usize, parts: &[&str]) -> String {
    let mut s = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && !s.is_empty() {
            s.push('-');
        }
        s.push_str(part);
    }
    if s.len() <= max { s } else { hashed(&s) }
}

fn is_dns1123_label(s: &str) -> bool {
    flyte_ray_k8s::is_dns1123_label(s).is_ok()
}

/// Whether `s` is a DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`, ≤ 63).
pub(crate) fn dns1123_label(s: &str) -> bool {
    is_dns1123_label(s)
}

/// Propeller's CR name for `name` (RENDERING.md §8 step 7): kept when it is a
/// DNS-1123 subdomain, otherwise kebab-cased, lower-cased, stripped of
/// characters outside `[-.a-z0-9]`, trimmed of `.`/`-`, and shortened with a
/// hash past 253 characters.
pub(crate) fn cr_name(name: &str) -> String {
    if flyte_ray_k8s::is_dns1123_subdomain(name).is_ok() {
        return name.to_owned();
    }
    // ([a-z0-9])([A-Z]) -> $1-$2, one left-to-right pass over non-overlapping matches.
    let chars: Vec<char> = name.chars().collect();
    let mut kebab = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && chars.get(i + 1).is_some_and(char::is_ascii_uppercase)
        {
            kebab.push(c);
            kebab.push('-');
            kebab.push(chars[i + 1]);
            i += 2;
            continue;
        }
        kebab.push(c);
        i += 1;
    }
    let lower: String = kebab
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.')
        .collect();
    let trimmed = lower.trim_matches(|c| c == '.' || c == '-').to_owned();
    if trimmed.len() > 253 {
        let id = fixed_length_unique_id_for_parts(20, &[&trimmed]);
        format!("{}-{id}", &trimmed[..232])
    } else {
        trimmed
    }
}

/// `{{.PerRetryUniqueKey}}` from the generated name: the leading run of
/// `[^a-zA-Z_]` becomes `a`, every run of `[^a-zA-Z0-9_]` becomes `_`.
pub(crate) fn per_retry_unique_key(name: &str) -> String {
    let lead = name
        .find(|c: char| c.is_ascii_alphabetic() || c == '_')
        .unwrap_or(name.len());
    let mut s = String::new();
    if lead > 0 {
        s.push('a');
    }
    let mut in_run = false;
    for c in name[lead..].chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            s.push(c);
            in_run = false;
        } else if !in_run {
            s.push('_');
            in_run = true;
        }
    }
    s
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn vectors_of_rendering_md_3_1() {
        // The first six are upstream Go test vectors; the rest RENDERING.md's table.
        assert_eq!(fixed_length_unique_id_for_parts(1, &["xx"]), "flfryc2i");
        assert_eq!(fixed_length_unique_id_for_parts(5, &["xxxxxx"]), "fufiti6i");
        assert_eq!(
            fixed_length_unique_id_for_parts(20, &["xxxxxxxxxxxxxxxxxxxxxxxx"]),
            "fuaa3aji"
        );
        assert_eq!(fixed_length_unique_id_for_parts(1, &["x", "y"]), "fz2jizji");
        assert_eq!(
            fixed_length_unique_id_for_parts(4, &["x", "y", "z"]),
            "fxzsoqrq"
        );
        assert_eq!(
            fixed_length_unique_id_for_parts(
                15,
                &[
                    "x", "y", "z", "m", "n", "y", "z", "m", "n", "y", "z", "m", "n"
                ]
            ),
            "fe63sz6y"
        );
        assert_eq!(
            fixed_length_unique_id_for_parts(47, &["a1b2c3d4e5f6g7h8i9j0", "n0", "0"]),
            "a1b2c3d4e5f6g7h8i9j0-n0-0"
        );
        assert_eq!(
            fixed_length_unique_id_for_parts(
                47,
                &["f3e9c2a1b0d4e5f6a7b8", "dn0-0-n1-0-train-model-step", "3"]
            ),
            "fisrzlvq"
        );
        assert_eq!(fixed_length_unique_id_for_parts(20, &["", "", "n0"]), "n0");
        assert_eq!(
            fixed_length_unique_id_for_parts(20, &["abc", "0", "some-very-long-node-id-x"]),
            "fedga5my"
        );
    }

    #[test]
    fn per_retry_key() {
        // RENDERING.md §3.2's example.
        assert_eq!(
            per_retry_unique_key("some-acceptable-name"),
            "some_acceptable_name"
        );
        assert_eq!(per_retry_unique_key("0-ab"), "aab");
    }

    #[test]
    fn cr_names() {
        assert_eq!(cr_name("ok-name"), "ok-name");
        // §8: one pass, so aBC -> a-BC -> a-bc.
        assert_eq!(cr_name("aBC"), "a-bc");
        assert_eq!(cr_name("-My_Name."), "myname");
    }
}
