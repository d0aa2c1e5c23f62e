//! The Kubernetes `resource.Quantity` grammar (`500m`, `2Gi`, `1e3`).
//!
//! ```text
//! <quantity>        ::= <signedNumber><suffix>
//! <signedNumber>    ::= <number> | <sign><number>
//! <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
//! <sign>            ::= "+" | "-"
//! <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
//! <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
//! <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
//! <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
//! ```
//!
//! This follows the documented grammar, which is slightly stricter than the
//! Go parser (`k8s.io/apimachinery/pkg/api/resource.ParseQuantity`): Go
//! accepts `"-"`, `"+"` and `"."` (no digit at all) as zero; here a number
//! needs at least one digit. Everything else Go accepts is accepted.

use std::fmt;

/// The regular expression Kubernetes quotes in its format error.
const SPLIT_RE: &str = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

/// A syntactically valid Kubernetes quantity, split into its parts.
///
/// ```
/// use flyte_ray_k8s::{Suffix, parse_quantity};
///
/// let q = parse_quantity("1.5Gi").unwrap();
/// assert_eq!(q.as_str(), "1.5Gi");
/// assert_eq!(q.suffix(), Suffix::Binary(30));
/// assert_eq!(q.to_f64(), 1.5 * 1024.0 * 1024.0 * 1024.0);
/// assert_eq!(parse_quantity("500m").unwrap().to_f64(), 0.5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quantity {
    text: String,
    negative: bool,
    integer: String,
    fraction: String,
    suffix: Suffix,
}

/// The suffix of a [`Quantity`]: what power its number is multiplied by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Suffix {
    /// A decimal SI suffix (`n u m "" k M G T P E`): times 10^exponent.
    DecimalSi(i32),
    /// A binary SI suffix (`Ki Mi Gi Ti Pi Ei`): times 2^exponent.
    Binary(u32),
    /// A decimal exponent (`e3`, `E-2`): times 10^exponent.
    DecimalExponent(i32),
}

/// Why a string is not a quantity; the messages are Kubernetes' own.
///
/// ```
/// use flyte_ray_k8s::{QuantityError, parse_quantity};
///
/// assert!(matches!(parse_quantity("2GB"), Err(QuantityError::Format { .. })));
/// assert!(matches!(parse_quantity("2K"), Err(QuantityError::Suffix { .. })));
/// assert_eq!(parse_quantity("").unwrap_err().to_string(), r#""": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QuantityError {
    /// Not of the shape `<signedNumber><suffix>` (Kubernetes' `ErrFormatWrong`).
    #[error("{input:?}: quantities must match the regular expression '{SPLIT_RE}'")]
    Format {
        /// The rejected text.
        input: String,
    },
    /// The shape is right but the suffix is unknown, e.g. `K` or `m3`
    /// (Kubernetes' `ErrSuffix`).
    #[error("{input:?}: unable to parse quantity's suffix")]
    Suffix {
        /// The rejected text.
        input: String,
    },
}

impl Quantity {
    /// The text as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True for a leading `-` (even on zero).
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The suffix.
    pub fn suffix(&self) -> Suffix {
        self.suffix
    }

    /// The digits before the decimal point (possibly empty, as in `.5`).
    ///
    /// ```
    /// use flyte_ray_k8s::{Suffix, parse_quantity};
    ///
    /// let q = parse_quantity("-.25e3").unwrap();
    /// assert!(q.is_negative());
    /// assert_eq!((q.integer_digits(), q.fraction_digits()), ("", "25"));
    /// assert_eq!(q.suffix(), Suffix::DecimalExponent(3));
    /// ```
    pub fn integer_digits(&self) -> &str {
        &self.integer
    }

    /// The digits after the decimal point (possibly empty).
    pub fn fraction_digits(&self) -> &str {
        &self.fraction
    }

    /// The value as a double (nearest; huge exponents give infinity), for
    /// comparisons such as requests ≤ limits.
    ///
    /// ```
    /// use flyte_ray_k8s::parse_quantity;
    ///
    /// assert_eq!(parse_quantity("1e3").unwrap().to_f64(), 1000.0);
    /// assert_eq!(parse_quantity("-2k").unwrap().to_f64(), -2000.0);
    /// assert_eq!(parse_quantity("1Ki").unwrap().to_f64(), 1024.0);
    /// ```
    pub fn to_f64(&self) -> f64 {
        let int = if self.integer.is_empty() {
            "0"
        } else {
            &self.integer
        };
        let frac = if self.fraction.is_empty() {
            "0"
        } else {
            &self.fraction
        };
        let (exp10, exp2) = match self.suffix {
            Suffix::DecimalSi(e) | Suffix::DecimalExponent(e) => (e, 0),
            Suffix::Binary(e) => (0, e),
        };
        let text = format!(
            "{}{int}.{frac}e{exp10}",
            if self.negative { "-" } else { "" }
        );
        let base: f64 = text.parse().unwrap_or(f64::NAN);
        base * f64::from(2u32).powi(i32::try_from(exp2).unwrap_or(i32::MAX))
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_quantity(s)
    }
}

/// Parses a Kubernetes quantity.
///
/// ```text
/// <quantity>        ::= <signedNumber><suffix>
/// <signedNumber>    ::= <number> | <sign><number>
/// <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
/// <sign>            ::= "+" | "-"
/// <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
/// <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
/// <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
/// <decimalExponent> ::= "e" <signedInteger> | "E" <signedInteger>
/// ```
///
/// This is the documented grammar, slightly stricter than the Go parser
/// (`resource.ParseQuantity`), which accepts `"-"`, `"+"` and `"."` (no
/// digit at all) as zero; here a number needs a digit. Values are not
/// range-checked (Kubernetes caps them at 2^63-1 rather than failing).
///
/// Accepted: `500m`, `2Gi`, `1e3`, `0.5`, `.5`, `5.`, `+1`, `-1k`, `1E-2`,
/// `1E` (exa). Rejected: `2GB`, `1.5.0`, `-`, `.`, `""`, ` 1`, `1K`, `1e`, `1e1.5`.
///
/// # Errors
/// [`QuantityError::Format`] for a malformed number or stray characters,
/// [`QuantityError::Suffix`] for an unknown suffix.
///
/// ```
/// use flyte_ray_k8s::parse_quantity;
///
/// for ok in ["500m", "2Gi", "1e3", "0.5"] {
///     assert!(parse_quantity(ok).is_ok(), "{ok}");
/// }
/// for bad in ["2GB", "1.5.0", "-"] {
///     assert!(parse_quantity(bad).is_err(), "{bad}");
/// }
/// ```
pub fn parse_quantity(s: &str) -> Result<Quantity, QuantityError> {
    let format = || QuantityError::Format {
        input: s.to_owned(),
    };
    let bytes = s.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos = 1;
            true
        }
        Some(b'+') => {
            pos = 1;
            false
        }
        _ => false,
    };
    let digits_from = |start: usize| {
        start
            + bytes
                .get(start..)
                .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let int_end = digits_from(pos);
    let integer = &s[pos..int_end];
    let (fraction, num_end) = if bytes.get(int_end) == Some(&b'.') {
        let frac_end = digits_from(int_end + 1);
        (&s[int_end + 1..frac_end], frac_end)
    } else {
        ("", int_end)
    };
    if integer.is_empty() && fraction.is_empty() {
        return Err(format());
    }
    let suffix_text = &s[num_end..];
    let suffix = parse_suffix(suffix_text).ok_or_else(|| {
        if suffix_shape_ok(suffix_text) {
            QuantityError::Suffix {
                input: s.to_owned(),
            }
        } else {
            format()
        }
    })?;
    Ok(Quantity {
        text: s.to_owned(),
        negative,
        integer: integer.to_owned(),
        fraction: fraction.to_owned(),
        suffix,
    })
}

/// The suffix table of Kubernetes' `quantitySuffixer`.
fn parse_suffix(s: &str) -> Option<Suffix> {
    Some(match s {
        "n" => Suffix::DecimalSi(-9),
        "u" => Suffix::DecimalSi(-6),
        "m" => Suffix::DecimalSi(-3),
        "" => Suffix::DecimalSi(0),
        "k" => Suffix::DecimalSi(3),
        "M" => Suffix::DecimalSi(6),
        "G" => Suffix::DecimalSi(9),
        "T" => Suffix::DecimalSi(12),
        "P" => Suffix::DecimalSi(15),
        "E" => Suffix::DecimalSi(18),
        "Ki" => Suffix::Binary(10),
        "Mi" => Suffix::Binary(20),
        "Gi" => Suffix::Binary(30),
        "Ti" => Suffix::Binary(40),
        "Pi" => Suffix::Binary(50),
        "Ei" => Suffix::Binary(60),
        _ => {
            let rest = s.strip_prefix(['e', 'E'])?;
            let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Suffix::DecimalExponent(rest.parse().ok()?)
        }
    })
}

/// Whether the suffix has the shape `[eEinumkKMGTP]*[-+]?[0-9]*` (then an
/// unknown suffix is a suffix error, otherwise a format error).
fn suffix_shape_ok(s: &str) -> bool {
    let rest = s.trim_start_matches(|c: char| "eEinumkKMGTP".contains(c));
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    rest.bytes().all(|b| b.is_ascii_digit())
}
