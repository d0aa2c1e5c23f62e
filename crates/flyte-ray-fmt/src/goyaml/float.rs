//! Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which yaml.v2 uses for every `float64`.

/// `strconv.FormatFloat(f, 'g', -1, 64)`, then yaml.v2's `.inf` / `-.inf` / `.nan`.
///
/// The digits are the shortest that read back as `f` (Rust's `{:e}` gives the same shortest
/// digits as Go's Ryū); Go writes them as `%e` when the decimal exponent is below -4 or at
/// least 6 (with a shortest precision Go decides with precision 6), otherwise as `%f`.
///
/// ```
/// use flyte_ray_fmt::goyaml::format_float_g;
/// assert_eq!(format_float_g(1e6), "1e+06");
/// assert_eq!(format_float_g(123456.0), "123456");
/// assert_eq!(format_float_g(1234567.0), "1.234567e+06");
/// assert_eq!(format_float_g(9.223372036854775807e18), "9.223372036854776e+18");
/// assert_eq!(format_float_g(0.0001), "0.0001");
/// assert_eq!(format_float_g(0.00001), "1e-05");
/// assert_eq!(format_float_g(-0.0), "-0");
/// assert_eq!(format_float_g(1e300), "1e+300");
/// assert_eq!(format_float_g(-689523386215485.25), "-6.895233862154852e+14"); // tie: even
/// assert_eq!(format_float_g(f64::INFINITY), ".inf");
/// ```
pub fn format_float_g(f: f64) -> String {
    if f.is_nan() {
        return ".nan".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.to_owned();
    }
    let neg = f.is_sign_negative();
    // `{:e}` of the magnitude: "d.ddde<exp>" or "de<exp>", shortest round-trip digits.
    let shortest = format!("{:e}", f.abs());
    let n = shortest
        .split('e')
        .next()
        .map_or(1, |m| m.chars().filter(char::is_ascii_digit).count());
    // When two shortest candidates are equally near (the value is exactly halfway), Go's
    // Ryū rounds half to even and Rust's `{:e}` does not; Rust's fixed-precision formatting
    // does, and with the shortest digit count it gives the nearest such decimal, which reads
    // back since a shortest one exists.
    let sci = format!("{:.*e}", n.saturating_sub(1), f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(digits.len() + 8);
    if neg {
        out.push('-');
    }
    if f == 0.0 {
        out.push('0');
        return out;
    }
    let nd = digits.len() as i32;
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if nd > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    } else {
        // Decimal point after `dp` digits.
        let dp = exp + 1;
        if dp <= 0 {
            out.push_str("0.");
            for _ in 0..(-dp) {
                out.push('0');
            }
            out.push_str(&digits);
        } else if dp >= nd {
            out.push_str(&digits);
            for _ in 0..(dp - nd) {
                out.push('0');
            }
        } else {
            let (int, frac) = digits.split_at(dp as usize);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        }
    }
    out
}
