//! Kubernetes quantities in their canonical form, as `resource.Quantity`
//! writes them after `ParseQuantity` (k8s.io/apimachinery v0.34.1):
//! `1000m` → `1`, `0.5` → `500m`, `1024Mi` → `1Gi`, `1.5` → `1500m`.
//!
//! The grammar is `flyte_ray_k8s::parse_quantity`'s; the canonicalisation
//! (`CanonicalizeBytes`) is written here because no crate implements it:
//! the value is kept exactly as `mantissa × 10^exponent` (or × 2^(10k) for
//! binary suffixes), rounded up to nano units as Go does, then written with
//! the largest suffix that keeps an integer mantissa, in the format the
//! input's suffix chose (binary, decimal SI or decimal exponent).

use flyte_ray_k8s::{Suffix, parse_quantity};

/// Why a quantity cannot be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuantityError {
    /// Not a quantity (Kubernetes' own message).
    #[error(transparent)]
    Syntax(#[from] flyte_ray_k8s::QuantityError),
    /// Too large or too precise to be represented here.
    #[error("quantity {0:?} is out of the supported range")]
    Range(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Binary,
    DecimalSi,
    DecimalExponent,
}

/// The canonical string of the quantity `text`.
///
/// ```
/// use flyte_ray_kuberay::canonical_quantity;
///
/// assert_eq!(canonical_quantity("1000m").unwrap(), "1");
/// assert_eq!(canonical_quantity("0.5").unwrap(), "500m");
/// assert_eq!(canonical_quantity("1024Mi").unwrap(), "1Gi");
/// assert_eq!(canonical_quantity("1.5Gi").unwrap(), "1536Mi");
/// assert_eq!(canonical_quantity("512Mi").unwrap(), "512Mi");
/// assert_eq!(canonical_quantity("1G").unwrap(), "1G");
/// assert_eq!(canonical_quantity("1073741824").unwrap(), "1073741824");
/// assert_eq!(canonical_quantity("1e3").unwrap(), "1e3");
/// assert_eq!(canonical_quantity("0.5Ki").unwrap(), "512");
/// ```
pub fn canonical_quantity(text: &str) -> Result<String, QuantityError> {
    let q = parse_quantity(text)?;
    let range = || QuantityError::Range(text.to_owned());
    let digits = format!("{}{}", q.integer_digits(), q.fraction_digits());
    let digits = digits.trim_start_matches('0');
    let mut mantissa: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| range())?
    };
    let frac_len = i32::try_from(q.fraction_digits().len()).map_err(|_| range())?;
    let mut exponent = -frac_len;
    let format = match q.suffix() {
        Suffix::Binary(bits) => {
            let factor = 1i128.checked_shl(bits).ok_or_else(range)?;
            mantissa = mantissa.checked_mul(factor).ok_or_else(range)?;
            Format::Binary
        }
        Suffix::DecimalSi(e) => {
            exponent += e;
            Format::DecimalSi
        }
        Suffix::DecimalExponent(e) => {
            exponent = exponent.checked_add(e).ok_or_else(range)?;
            Format::DecimalExponent
        }
    };
    if mantissa == 0 {
        return Ok("0".to_owned());
    }
    // Go keeps at most nano precision, rounding up (away from zero).
    if exponent < -9 {
        let shift = u32::try_from(-9 - exponent).map_err(|_| range())?;
        let div = 10i128.checked_pow(shift);
        mantissa = match div {
            Some(div) => {
                let rounded = mantissa / div;
                if mantissa % div != 0 {
                    rounded + 1
                } else {
                    rounded
                }
            }
            None => 1,
        };
        exponent = -9;
    }
    let negative = q.is_negative();
    let mut format = format;
    if format == Format::Binary {
        // value = mantissa × 10^exponent: binary only for exact integers ≥ 1024.
        let integer = if exponent >= 0 {
            10i128
                .checked_pow(u32::try_from(exponent).map_err(|_| range())?)
                .and_then(|p| mantissa.checked_mul(p))
        } else {
            let p = 10i128.checked_pow(u32::try_from(-exponent).map_err(|_| range())?);
            p.and_then(|p| (mantissa % p == 0).then(|| mantissa / p))
        };
        match integer {
            Some(n) if n >= 1024 => {
                let (mut n, mut k) = (n, 0u32);
                while n % 1024 == 0 && k < 6 {
                    n /= 1024;
                    k += 1;
                }
                let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k as usize];
                let sign = if negative { "-" } else { "" };
                return Ok(format!("{sign}{n}{suffix}"));
            }
            _ => format = Format::DecimalSi,
        }
    }
    while mantissa % 10 == 0 {
        mantissa /= 10;
        exponent += 1;
    }
    match exponent.rem_euclid(3) {
        1 => {
            mantissa = mantissa.checked_mul(10).ok_or_else(range)?;
            exponent -= 1;
        }
        2 => {
            mantissa = mantissa.checked_mul(100).ok_or_else(range)?;
            exponent -= 2;
        }
        _ => {}
    }
    let suffix = match format {
        Format::DecimalExponent | Format::Binary => {
            if exponent == 0 {
                String::new()
            } else {
                format!("e{exponent}")
            }
        }
        Format::DecimalSi => match exponent {
            -9 => "n".to_owned(),
            -6 => "u".to_owned(),
            -3 => "m".to_owned(),
            0 => String::new(),
            3 => "k".to_owned(),
            6 => "M".to_owned(),
            9 => "G".to_owned(),
            12 => "T".to_owned(),
            15 => "P".to_owned(),
            18 => "E".to_owned(),
            e => format!("e{e}"),
        },
    };
    let sign = if negative { "-" } else { "" };
    Ok(format!("{sign}{mantissa}{suffix}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::canonical_quantity as c;

    #[test]
    fn canonical_forms() {
        // RENDERING.md §11: 1000m -> 1, 0.5 -> 500m, 1024Mi -> 1Gi; 100m, 512Mi, 1G kept.
        for (i, o) in [
            ("1000m", "1"),
            ("0.5", "500m"),
            ("1024Mi", "1Gi"),
            ("100m", "100m"),
            ("512Mi", "512Mi"),
            ("1G", "1G"),
            ("1.5", "1500m"),
            ("0", "0"),
            ("0Gi", "0"),
            ("10Gi", "10Gi"),
            ("1.1Ki", "1126400m"),
            ("-2k", "-2k"),
            ("1n", "1n"),
            ("0.1n", "1n"),
            ("1500", "1500"),
            ("15000", "15k"),
        ] {
            assert_eq!(c(i).unwrap(), o, "{i}");
        }
        assert!(c("2GB").is_err());
    }
}
