//! Kubernetes name grammars: label keys (qualified names), label values,
//! DNS-1123 labels and subdomains, DNS-1035 labels.
//!
//! Each check returns `Err` with Kubernetes' own validation message
//! (`k8s.io/apimachinery/pkg/util/validation`); when Kubernetes reports
//! several problems they are joined with `"; "`. Lengths are in bytes, as in Go.

/// The longest label value and qualified-name name part.
pub const LABEL_VALUE_MAX_LENGTH: usize = 63;
/// The longest DNS-1123 label.
pub const DNS1123_LABEL_MAX_LENGTH: usize = 63;
/// The longest DNS-1123 subdomain.
pub const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
/// The longest DNS-1035 label.
pub const DNS1035_LABEL_MAX_LENGTH: usize = 63;

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/// Kubernetes' `RegexError`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    let mut out = msg.to_owned();
    out.push_str(" (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(e);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

/// The `RegexError` of a qualified name (or its name part).
fn qualified_name_error() -> String {
    regex_error(
        QUALIFIED_NAME_ERR,
        QUALIFIED_NAME_FMT,
        &["MyName", "my.name", "123-abc"],
    )
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn result(errs: Vec<String>) -> Result<(), String> {
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("; "))
    }
}

/// `first` and `last` satisfy `edge`, everything else satisfies `inner`; not empty.
fn shape(s: &str, edge: impl Fn(u8) -> bool, inner: impl Fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => edge(f) && edge(l) && b.iter().all(|&c| inner(c)),
        _ => false,
    }
}

fn matches_qualified_name(s: &str) -> bool {
    shape(
        s,
        |c| c.is_ascii_alphanumeric(),
        |c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'),
    )
}

fn is_lower_alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn matches_dns1123_label(s: &str) -> bool {
    shape(s, is_lower_alnum, |c| is_lower_alnum(c) || c == b'-')
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

/// Checks a label or annotation key: a name of at most 63 characters
/// (alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric), with an
/// optional DNS-1123 subdomain prefix and `/` (`example.com/MyName`).
///
/// # Errors
/// Kubernetes' messages, e.g. `name part must be no more than 63 characters`,
/// `prefix part must be non-empty`.
///
/// ```
/// use flyte_ray_k8s::is_qualified_name;
///
/// assert!(is_qualified_name("app.kubernetes.io/name").is_ok());
/// assert!(is_qualified_name("MyName").is_ok());
/// assert!(is_qualified_name("/name").unwrap_err().starts_with("prefix part must be non-empty"));
/// assert!(is_qualified_name("a/b/c").is_err());
/// assert!(is_qualified_name(&"a".repeat(64)).unwrap_err().contains("no more than 63"));
/// ```
pub fn is_qualified_name(value: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    // Go splits on every '/': one part is a name, two are prefix and name.
    let name = match value.split_once('/') {
        None => value,
        Some((prefix, name)) if !name.contains('/') => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else if let Err(e) = is_dns1123_subdomain(prefix) {
                errs.extend(e.split("; ").map(|m| format!("prefix part {m}")));
            }
            name
        }
        Some(_) => {
            return Err(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                qualified_name_error()
            ));
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_error(LABEL_VALUE_MAX_LENGTH)
        ));
    }
    if !matches_qualified_name(name) {
        errs.push(format!("name part {}", qualified_name_error()));
    }
    result(errs)
}

/// Checks a label value: empty, or at most 63 characters of alphanumerics,
/// `-`, `_`, `.`, starting and ending alphanumeric.
///
/// # Errors
/// Kubernetes' messages.
///
/// ```
/// use flyte_ray_k8s::is_valid_label_value;
///
/// assert!(is_valid_label_value("").is_ok());
/// assert!(is_valid_label_value("my_value-1.0").is_ok());
/// assert!(is_valid_label_value("-x").is_err());
/// assert!(is_valid_label_value("a b").is_err());
/// ```
pub fn is_valid_label_value(value: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !matches_qualified_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    result(errs)
}

/// Checks a DNS-1123 label (RFC 1123): at most 63 lowercase alphanumerics or
/// `-`, starting and ending alphanumeric (container names, for example).
///
/// # Errors
/// Kubernetes' messages; `must not contain dots` for a valid subdomain.
///
/// ```
/// use flyte_ray_k8s::is_dns1123_label;
///
/// assert!(is_dns1123_label("ray-head-0").is_ok());
/// assert!(is_dns1123_label("0abc").is_ok());
/// assert_eq!(is_dns1123_label("a.b").unwrap_err(), "must not contain dots");
/// assert!(is_dns1123_label("Ray").is_err());
/// ```
pub fn is_dns1123_label(value: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_LABEL_MAX_LENGTH));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    result(errs)
}

/// Checks a DNS-1123 subdomain: at most 253 characters, dot-separated
/// DNS-1123 labels.
///
/// # Errors
/// Kubernetes' messages.
///
/// ```
/// use flyte_ray_k8s::is_dns1123_subdomain;
///
/// assert!(is_dns1123_subdomain("example.com").is_ok());
/// assert!(is_dns1123_subdomain("example..com").is_err());
/// assert!(is_dns1123_subdomain("Example.com").is_err());
/// ```
pub fn is_dns1123_subdomain(value: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    result(errs)
}

/// Checks a DNS-1035 label (RFC 1035): at most 63 lowercase alphanumerics or
/// `-`, starting with a letter and ending alphanumeric (service names).
///
/// # Errors
/// Kubernetes' messages.
///
/// ```
/// use flyte_ray_k8s::is_dns1035_label;
///
/// assert!(is_dns1035_label("ray-svc").is_ok());
/// assert!(is_dns1035_label("0abc").is_err());
/// assert!(is_dns1035_label("abc-").is_err());
/// ```
pub fn is_dns1035_label(value: &str) -> Result<(), String> {
    let mut errs = Vec::new();
    if value.len() > DNS1035_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1035_LABEL_MAX_LENGTH));
    }
    // A DNS-1123 label that starts with a letter.
    let ok = matches_dns1123_label(value)
        && value.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !ok {
        errs.push(regex_error(
            DNS1035_LABEL_ERR,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    result(errs)
}
