//! Python's `str()` and `repr()` of document values, as the SDKs' error
//! messages and `str(v)` conversions print them: a list given as a
//! `Resources` or `ReusePolicy` argument prints as a tuple (the document
//! loader turns those into tuples; lists nested inside stay lists), floats
//! as `repr`, booleans as `True`/`False`, strings with `repr`'s quoting.

use flyte_ray_fmt::py_repr_str;

use crate::doc::Node;

/// Python's `repr(float)`: the shortest digits that round-trip, fixed
/// notation for decimal exponents −4…15, scientific otherwise
/// (`1e+16`, `1e-05`), `-0.0` keeps its sign.
///
/// Hand-written because no crate prints Python's float repr; Rust's `{:e}`
/// gives the same shortest digits, only the layout differs.
pub fn py_float_repr(v: f64) -> String {
    if v.is_nan() {
        return "nan".to_owned();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::from(sign);
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = usize::try_from(exp).unwrap_or(0) + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', int_len - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n(
                '0',
                usize::try_from(-exp - 1).unwrap_or(0),
            ));
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.unsigned_abs()));
    }
    out
}

/// Python's `str(value)` of an argument (a top-level list is a tuple).
pub fn py_str(n: &Node) -> String {
    match n {
        Node::Str(s) => s.clone(),
        other => py_repr(other),
    }
}

/// Python's `repr(value)` of an argument: a top-level list is a tuple,
/// lists inside it stay lists.
pub fn py_repr(n: &Node) -> String {
    let mut out = String::new();
    push_repr(&mut out, n, true);
    out
}

/// Python's `repr(value)` of a value inside an argument (lists are lists).
pub fn py_repr_inner(n: &Node) -> String {
    let mut out = String::new();
    push_repr(&mut out, n, false);
    out
}

fn push_repr(out: &mut String, n: &Node, top: bool) {
    match n {
        Node::Null => out.push_str("None"),
        Node::Bool(true) => out.push_str("True"),
        Node::Bool(false) => out.push_str("False"),
        Node::Int(s) => out.push_str(s),
        Node::Float(f) => out.push_str(&py_float_repr(*f)),
        Node::Str(s) => out.push_str(&py_repr_str(s)),
        Node::List(items) => {
            out.push(if top { '(' } else { '[' });
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                push_repr(out, item, false);
            }
            if top && items.len() == 1 {
                out.push(',');
            }
            out.push(if top { ')' } else { ']' });
        }
        Node::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&py_repr_str(k));
                out.push_str(": ");
                push_repr(out, v, false);
            }
            out.push('}');
        }
    }
}

/// Python's type name of a value (`type(v).__name__`); `top`: the value
/// is an argument, where a list is a tuple.
pub fn py_type_name(n: &Node, top: bool) -> &'static str {
    match n {
        Node::Null => "NoneType",
        Node::Bool(_) => "bool",
        Node::Int(_) => "int",
        Node::Float(_) => "float",
        Node::Str(_) => "str",
        Node::List(_) if top => "tuple",
        Node::List(_) => "list",
        Node::Map(_) => "dict",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected strings are Python 3.11's `repr(float)` outputs.
    #[test]
    fn floats_as_python() {
        for (v, want) in [
            (0.5, "0.5"),
            (2.0, "2.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-7, "1e-07"),
            (0.0001, "0.0001"),
            (1e-5, "1e-05"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e22, "1e+22"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (9.223372036854776e18, "9.223372036854776e+18"),
            (123.456, "123.456"),
        ] {
            assert_eq!(py_float_repr(v), want, "{v:?}");
        }
    }

    #[test]
    fn tuples_as_python() {
        let l = |v: Vec<Node>| Node::List(v);
        assert_eq!(py_repr(&l(vec![])), "()");
        assert_eq!(py_repr(&l(vec![Node::Str("1".into())])), "('1',)");
        assert_eq!(
            py_repr(&l(vec![Node::Float(0.5), Node::Map(vec![])])),
            "(0.5, {})"
        );
        // Only the argument itself is a tuple.
        let nested = l(vec![l(vec![Node::Int("1".into())]), Node::Int("2".into())]);
        assert_eq!(py_repr(&nested), "([1], 2)");
        assert_eq!(py_repr_inner(&nested), "[[1], 2]");
        assert_eq!(py_str(&Node::Str("it's".into())), "it's");
        assert_eq!(py_repr(&Node::Str("it's".into())), "\"it's\"");
    }
}
