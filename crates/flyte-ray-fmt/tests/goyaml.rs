//! Golden tests of `flyte_ray_fmt::goyaml` against cases made by Go itself.
//!
//! `tests/data/goyaml/runtime_env_yaml.jsonl`: the 507 cases of
//! `shared/golden-render/runtime_env_yaml.jsonl`, produced by Flyte's backend sequence
//! (`base64.StdEncoding.DecodeString`, `json.Unmarshal` into `map[string]interface{}`,
//! `yaml.Marshal`) in Go 1.27.3 with `gopkg.in/yaml.v2` v2.4.0.

use flyte_ray_fmt::goyaml::runtime_env_yaml;
use serde_json::Value;

struct Case {
    id: String,
    input: String,
    yaml: Option<String>,
    error: Option<String>,
}

fn load(path: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .map(|(n, line)| {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            Case {
                id: s("id").unwrap_or_else(|| format!("line {}", n + 1)),
                input: s("runtime_env").unwrap_or_else(|| panic!("{path}:{}: no input", n + 1)),
                yaml: s("runtime_env_yaml"),
                error: s("error"),
            }
        })
        .collect()
}

/// Runs every case; returns the failures as readable lines.
fn check(cases: &[Case], compare_error_text: bool) -> Vec<String> {
    let mut failures = Vec::new();
    for case in cases {
        let got = runtime_env_yaml(&case.input);
        match (&got, &case.yaml, &case.error) {
            (Ok(y), Some(want), _) if y == want => {}
            (Err(e), None, Some(want)) if !compare_error_text || e.to_string() == *want => {}
            _ => failures.push(format!(
                "{}: got {:?}, want {:?}",
                case.id,
                got.as_ref().map_err(ToString::to_string),
                case.yaml.as_ref().ok_or(&case.error)
            )),
        }
    }
    failures
}

#[test]
fn golden_runtime_env_yaml_507() {
    let cases = load("tests/data/goyaml/runtime_env_yaml.jsonl");
    assert_eq!(cases.len(), 507);
    let failures = check(&cases, true);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
