//! Differential tests of `pyobj`, `pyjson` and `pyyaml` against Python's
//! `json` and PyYAML 6.0.4, on the corpus that
//! `scripts/gen_pyyaml_corpus.py` wrote with the real implementations.

use flyte_ray_fmt::pyjson::dumps;
use flyte_ray_fmt::pyobj::{PyJsonErrorKind, PyValue};
use flyte_ray_fmt::pyyaml::dump;

const CORPUS: &str = include_str!("data/py_dump_corpus.jsonl");
const LOADS: &str = include_str!("data/py_loads_cases.jsonl");

fn lines(text: &str) -> impl Iterator<Item = serde_json::Value> + '_ {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("corpus line is JSON"))
}

fn field<'a>(case: &'a serde_json::Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} in {case}"))
}

/// Every tree: from_json_str of `json.dumps(tree)`, then our dumps must
/// give that text back and our dump the text `yaml.dump(tree)` gave.
#[test]
fn corpus_matches_json_dumps_and_yaml_dump() {
    let (mut total, mut json_bad, mut yaml_bad) = (0, Vec::new(), Vec::new());
    for case in lines(CORPUS) {
        total += 1;
        let id = field(&case, "id");
        let json = field(&case, "json");
        let yaml = field(&case, "yaml");
        let value = PyValue::from_json_str(json)
            .unwrap_or_else(|e| panic!("{id}: from_json_str: {e}\n{json}"));
        let ours = dumps(&value);
        if ours != json {
            json_bad.push(format!("{id}\n  want {json}\n  got  {ours}"));
        }
        let ours = dump(&value);
        if ours != yaml {
            yaml_bad.push(format!("{id}: {json}\n--- want\n{yaml}--- got\n{ours}"));
        }
    }
    assert!(total >= 10_000, "the corpus has {total} trees");
    let report = |bad: &[String]| bad.iter().take(8).cloned().collect::<Vec<_>>().join("\n");
    assert!(
        json_bad.is_empty(),
        "{} of {total} json.dumps differ:\n{}",
        json_bad.len(),
        report(&json_bad)
    );
    assert!(
        yaml_bad.is_empty(),
        "{} of {total} yaml.dump differ:\n{}",
        yaml_bad.len(),
        report(&yaml_bad)
    );
}

/// Hand-made JSON texts: what json.loads accepts (checked through
/// json.dumps of the result) and where it fails.
#[test]
fn loads_cases_match_json_loads() {
    let mut count = 0;
    for case in lines(LOADS) {
        count += 1;
        let input = field(&case, "input");
        let ours = PyValue::from_json_str(input);
        if let Some(want) = case["dumps"].as_str() {
            match ours {
                Ok(v) => {
                    assert_eq!(dumps(&v), want, "json.dumps(json.loads({input:?}))");
                    let yaml = field(&case, "yaml");
                    assert_eq!(dump(&v), yaml, "yaml.dump(json.loads({input:?}))");
                }
                Err(e) => panic!("{input:?}: json.loads accepts it, we say {e}"),
            }
            continue;
        }
        let kind = field(&case, "error");
        let Err(err) = ours else {
            panic!("{input:?}: json.loads raises {kind}, we accept it");
        };
        match kind {
            // A position is where json.loads says the error is.
            "JSONDecodeError" => {
                let pos = case["pos"].as_u64().expect("pos") as usize;
                assert_eq!(err.offset, pos, "{input:?}: {err}");
            }
            "ValueError" => assert!(
                matches!(err.kind, PyJsonErrorKind::Int(_)),
                "{input:?}: {err}"
            ),
            "LoneSurrogate" => assert!(
                matches!(err.kind, PyJsonErrorKind::LoneSurrogate { .. }),
                "{input:?}: {err}"
            ),
            other => panic!("{input:?}: unexpected error kind {other} in the cases"),
        }
    }
    assert!(count >= 80, "{count} loads cases");
}

/// The bounds of `from_json_str`: nesting, input length, int digits; each
/// refused with its kind and position, never a panic or a stack overflow.
#[test]
fn from_json_str_limits() {
    use flyte_ray_fmt::pyobj::{MAX_DEPTH, MAX_INPUT_LEN, PyInt};

    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    assert!(PyValue::from_json_str(&nested(MAX_DEPTH)).is_ok());
    let err = PyValue::from_json_str(&nested(MAX_DEPTH + 1)).expect_err("refused");
    assert_eq!(err.kind, PyJsonErrorKind::TooDeep);
    // The bracket that opens level MAX_DEPTH + 1.
    assert_eq!(err.offset, MAX_DEPTH);
    let objects = format!(
        "{}1{}",
        r#"{"a": "#.repeat(MAX_DEPTH + 1),
        "}".repeat(MAX_DEPTH + 1)
    );
    let err = PyValue::from_json_str(&objects).expect_err("refused");
    assert_eq!(err.kind, PyJsonErrorKind::TooDeep);
    // Far deeper input is refused just the same.
    assert!(PyValue::from_json_str(&nested(1_000_000)).is_err());

    let long = " ".repeat(MAX_INPUT_LEN + 1);
    let err = PyValue::from_json_str(&long).expect_err("refused");
    assert!(matches!(err.kind, PyJsonErrorKind::TooLong { len } if len == MAX_INPUT_LEN + 1));

    // Python 3.11 converts at most 4300 digits (sys.get_int_max_str_digits()).
    let digits = "7".repeat(PyInt::MAX_DIGITS);
    let v = PyValue::from_json_str(&format!("[-{digits}]")).expect("4300 digits");
    assert_eq!(dumps(&v), format!("[-{digits}]"));
    let err = PyValue::from_json_str(&format!("[{digits}7]")).expect_err("refused");
    assert!(matches!(err.kind, PyJsonErrorKind::Int(_)));
    assert_eq!(err.offset, 1);
}

/// Error positions count characters, not bytes, and lines from 1, as
/// `json.JSONDecodeError` does.
#[test]
fn error_positions_count_characters() {
    let err = PyValue::from_json_str("{\"é😀\": 1,\n  \"b\" 2}").expect_err("refused");
    assert_eq!(err.kind, PyJsonErrorKind::ExpectingColon);
    assert_eq!((err.line, err.column, err.offset), (2, 7, 16));
    assert_eq!(
        err.to_string(),
        "expecting ':' delimiter: line 2 column 7 (char 16)"
    );
}
