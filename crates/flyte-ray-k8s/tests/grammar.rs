//! Part 5: find_container, quantities, label keys and values, DNS names.
#![allow(clippy::unwrap_used)]

use flyte_ray_k8s::{
    QuantityError, Suffix, find_container, is_dns1035_label, is_dns1123_label,
    is_dns1123_subdomain, is_qualified_name, is_valid_label_value, json_to_struct, parse_quantity,
};
use serde_json::json;

#[test]
fn find_container_edge_cases() {
    let s = json_to_struct(
        &json!({"containers": [1, {"image": "x"}, {"name": 3}, {"name": "a"}, {"name": "a"}]}),
    )
    .unwrap();
    assert_eq!(find_container(&s, "a").map(|(i, _)| i), Some(3));
    assert!(find_container(&s, "b").is_none());
    let s = json_to_struct(&json!({"containers": {"name": "a"}})).unwrap();
    assert!(find_container(&s, "a").is_none());
    let s = json_to_struct(&json!({"initContainers": [{"name": "a"}]})).unwrap();
    assert!(find_container(&s, "a").is_none());
    let s = json_to_struct(&json!({"containers": [{"name": ""}]})).unwrap();
    assert_eq!(find_container(&s, "").map(|(i, _)| i), Some(0));
}

#[test]
fn quantities_accepted() {
    let cases: &[(&str, f64)] = &[
        ("500m", 0.5),
        ("2Gi", 2.0 * 1024.0 * 1024.0 * 1024.0),
        ("1e3", 1000.0),
        ("0.5", 0.5),
        ("0", 0.0),
        ("+1", 1.0),
        ("-1k", -1000.0),
        (".5", 0.5),
        ("5.", 5.0),
        ("1.5Gi", 1.5 * 1024.0 * 1024.0 * 1024.0),
        ("1E", 1e18),
        ("1Ei", 1_152_921_504_606_846_976.0),
        ("1E-2", 0.01),
        ("1e+2", 100.0),
        ("100n", 1e-7),
        ("3u", 3e-6),
        ("12M", 12e6),
        ("1T", 1e12),
        ("1P", 1e15),
        ("1Ki", 1024.0),
        ("1Mi", 1_048_576.0),
        ("1Ti", 1_099_511_627_776.0),
        ("1Pi", 1_125_899_906_842_624.0),
        ("007", 7.0),
        ("1.G", 1e9),
    ];
    for (s, v) in cases {
        let q = parse_quantity(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(q.as_str(), *s);
        assert!(
            (q.to_f64() - v).abs() <= v.abs() * 1e-12,
            "{s}: {} != {v}",
            q.to_f64()
        );
    }
    assert_eq!(
        parse_quantity("1e3").unwrap().suffix(),
        Suffix::DecimalExponent(3)
    );
    assert_eq!(
        parse_quantity("1E").unwrap().suffix(),
        Suffix::DecimalSi(18)
    );
    assert_eq!(parse_quantity("1Ki").unwrap().suffix(), Suffix::Binary(10));
    assert!(parse_quantity("-0").unwrap().is_negative());
    assert_eq!(parse_quantity("1.25").unwrap().integer_digits(), "1");
    assert_eq!(parse_quantity("1.25").unwrap().fraction_digits(), "25");
    assert_eq!(
        "2Gi"
            .parse::<flyte_ray_k8s::Quantity>()
            .unwrap()
            .to_string(),
        "2Gi"
    );
}

#[test]
fn quantities_rejected() {
    let format = [
        "2GB", "1.5.0", "-", "+", ".", "", " 1", "1 ", "abc", "1,5", "--1", "1e1.5", "0x10",
        "1Gi ", "١",
    ];
    for s in format {
        assert!(
            matches!(parse_quantity(s), Err(QuantityError::Format { .. })),
            "{s}: {:?}",
            parse_quantity(s)
        );
    }
    let suffix = [
        "1K",
        "1e",
        "1E+",
        "1m3",
        "1ki",
        "1Kii",
        "1mi",
        "1e99999999999",
    ];
    for s in suffix {
        assert!(
            matches!(parse_quantity(s), Err(QuantityError::Suffix { .. })),
            "{s}: {:?}",
            parse_quantity(s)
        );
    }
    assert_eq!(
        parse_quantity("2K").unwrap_err().to_string(),
        "\"2K\": unable to parse quantity's suffix"
    );
}

const QN_REGEX: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

#[test]
fn qualified_names() {
    for ok in [
        "a",
        "A",
        "0",
        "MyName",
        "my.name",
        "123-abc",
        "a_b",
        "example.com/MyName",
        "a/b",
        &"a".repeat(63),
        &format!("{}/x", "a".repeat(253)),
    ] {
        assert!(
            is_qualified_name(ok).is_ok(),
            "{ok}: {:?}",
            is_qualified_name(ok)
        );
    }
    assert_eq!(
        is_qualified_name("").unwrap_err(),
        format!("name part must be non-empty; {QN_REGEX}")
    );
    assert_eq!(is_qualified_name("-a").unwrap_err(), QN_REGEX);
    assert_eq!(
        is_qualified_name(&"a".repeat(64)).unwrap_err(),
        "name part must be no more than 63 characters"
    );
    assert!(
        is_qualified_name("/a")
            .unwrap_err()
            .starts_with("prefix part must be non-empty")
    );
    assert!(
        is_qualified_name("Example.com/a")
            .unwrap_err()
            .starts_with("prefix part a lowercase RFC 1123 subdomain")
    );
    assert!(
        is_qualified_name(&format!("{}/x", "a".repeat(254)))
            .unwrap_err()
            .starts_with("prefix part must be no more than 253 characters")
    );
    assert!(
        is_qualified_name("a/")
            .unwrap_err()
            .starts_with("name part must be non-empty")
    );
    assert!(
        is_qualified_name("a/b/c")
            .unwrap_err()
            .starts_with("a qualified name must consist of")
    );
    assert!(
        is_qualified_name("a/b/c")
            .unwrap_err()
            .ends_with("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
    );
    for bad in ["a_", "a.", ".a", "a b", "é", "a\n", "a:b"] {
        assert!(is_qualified_name(bad).is_err(), "{bad}");
    }
}

#[test]
fn label_values() {
    for ok in [
        "",
        "a",
        "MyValue",
        "my_value",
        "12345",
        "a.b-c_d",
        &"z".repeat(63),
    ] {
        assert!(is_valid_label_value(ok).is_ok(), "{ok}");
    }
    assert_eq!(
        is_valid_label_value(&"z".repeat(64)).unwrap_err(),
        "must be no more than 63 characters"
    );
    assert_eq!(
        is_valid_label_value("-a").unwrap_err(),
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    );
    assert!(
        is_valid_label_value(&format!("-{}", "z".repeat(63)))
            .unwrap_err()
            .contains("; a valid label")
    );
    for bad in ["a/b", "a ", "é", "_", "a_"] {
        assert!(is_valid_label_value(bad).is_err(), "{bad}");
    }
}

#[test]
fn dns1123_labels() {
    for ok in ["a", "0", "my-name", "123-abc", "a--b", &"a".repeat(63)] {
        assert!(is_dns1123_label(ok).is_ok(), "{ok}");
    }
    assert_eq!(
        is_dns1123_label("a.b").unwrap_err(),
        "must not contain dots"
    );
    assert_eq!(
        is_dns1123_label(&"a".repeat(64)).unwrap_err(),
        "must be no more than 63 characters"
    );
    assert_eq!(
        is_dns1123_label("A").unwrap_err(),
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    );
    for bad in ["", "-a", "a-", "a_b", "a b", ".a"] {
        assert!(is_dns1123_label(bad).is_err(), "{bad}");
    }
}

#[test]
fn dns1123_subdomains() {
    let long = [
        "a".repeat(63),
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(61),
    ]
    .join(".");
    assert_eq!(long.len(), 253);
    for ok in ["a", "example.com", "a-b.c-d.e", "0.0", long.as_str()] {
        assert!(is_dns1123_subdomain(ok).is_ok(), "{ok}");
    }
    assert_eq!(
        is_dns1123_subdomain(&format!("{long}d")).unwrap_err(),
        "must be no more than 253 characters"
    );
    for bad in ["", ".", "a.", ".a", "a..b", "A.com", "a_b.com", "a-.com"] {
        let e = is_dns1123_subdomain(bad).unwrap_err();
        assert!(
            e.starts_with("a lowercase RFC 1123 subdomain must consist of"),
            "{bad}: {e}"
        );
        assert!(e.ends_with("(e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"), "{e}");
    }
}

#[test]
fn dns1035_labels() {
    for ok in ["a", "my-name", "abc-123", "a0", &"a".repeat(63)] {
        assert!(is_dns1035_label(ok).is_ok(), "{ok}");
    }
    for bad in ["", "0a", "-a", "a-", "A", "a.b", "a_b"] {
        let e = is_dns1035_label(bad).unwrap_err();
        assert!(e.starts_with("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123'"), "{bad}: {e}");
    }
    assert!(
        is_dns1035_label(&"a".repeat(64))
            .unwrap_err()
            .starts_with("must be no more than 63 characters")
    );
}
