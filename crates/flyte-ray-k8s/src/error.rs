//! The crate's error type, [`K8sError`]: every variant says where (a JSON path) and what.

use std::fmt;

/// Everything that can go wrong in this crate's conversions.
///
/// Every variant carries the JSON path of the offending value inside the
/// `Struct` or pod spec (`containers[0].resources.limits.cpu`); the path is
/// empty for the top level. The `Display` form is `path: message`, or just
/// `message` at the top level.
///
/// ```
/// use flyte_ray_k8s::{K8sError, json_to_struct};
///
/// let err = json_to_struct(&serde_json::json!([1])).unwrap_err();
/// assert!(matches!(err, K8sError::NotAnObject { .. }));
/// assert_eq!(err.to_string(), "google.protobuf.Struct must be a JSON object, found an array");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum K8sError {
    /// A `Struct` number is NaN or infinite: JSON cannot hold it. flytekit
    /// (protobuf's `MessageToDict`) raises `Fail to serialize NaN for
    /// Value.number_value, which would parse as string_value` (or
    /// `Infinity`); the message here is the same, prefixed with the path.
    #[error("{}Fail to serialize {} for Value.number_value, which would parse as string_value", Prefix(path), non_finite_name(*value))]
    NonFiniteNumber {
        /// Where the number is.
        path: String,
        /// The number (NaN, `inf` or `-inf`).
        value: f64,
    },
    /// A `google.protobuf.Struct` was expected (the top level of a pod spec,
    /// or anything converted by [`json_to_struct`](crate::json_to_struct)) but
    /// the JSON is not an object.
    #[error(
        "{}google.protobuf.Struct must be a JSON object, found {found}",
        Prefix(path)
    )]
    NotAnObject {
        /// Where the value is.
        path: String,
        /// What was found instead ("an array", "a number", ...).
        found: &'static str,
    },
    /// The value is nested deeper than [`MAX_DEPTH`](crate::MAX_DEPTH)
    /// objects and lists; refused instead of risking a stack overflow.
    #[error("{}nesting deeper than {limit} levels", Prefix(path))]
    TooDeep {
        /// The path where the limit was crossed.
        path: String,
        /// The limit that was crossed.
        limit: usize,
    },
    /// The JSON does not fit the typed Kubernetes `PodSpec` (wrong type,
    /// missing required field such as a container's `name`, ...).
    #[error("{}{message}", Prefix(path))]
    PodSpec {
        /// Where the mismatch is, e.g. `containers[0].resources.limits.cpu`.
        path: String,
        /// What is wrong, as the deserializer said it.
        message: String,
    },
    /// A pod template's `primary_container_name` is empty; flytekit raises
    /// `A primary container name cannot be undefined`.
    #[error("primaryContainerName: A primary container name cannot be undefined")]
    EmptyPrimaryContainerName,
}

impl K8sError {
    /// The JSON path of the offending value (empty at the top level).
    ///
    /// ```
    /// use flyte_ray_k8s::{json_to_struct, struct_to_json};
    ///
    /// let mut s = json_to_struct(&serde_json::json!({"a": {"b": [0]}})).unwrap();
    /// // put a NaN at a.b[0]
    /// # use prost_types::value::Kind;
    /// if let Some(Kind::StructValue(a)) = &mut s.fields.get_mut("a").unwrap().kind {
    ///     if let Some(Kind::ListValue(l)) = &mut a.fields.get_mut("b").unwrap().kind {
    ///         l.values[0].kind = Some(Kind::NumberValue(f64::NAN));
    ///     }
    /// }
    /// assert_eq!(struct_to_json(&s).unwrap_err().path(), "a.b[0]");
    /// ```
    pub fn path(&self) -> &str {
        match self {
            K8sError::NonFiniteNumber { path, .. }
            | K8sError::NotAnObject { path, .. }
            | K8sError::TooDeep { path, .. }
            | K8sError::PodSpec { path, .. } => path,
            K8sError::EmptyPrimaryContainerName => "primaryContainerName",
        }
    }
}

/// `NaN` or `Infinity`, the words protobuf's JSON printer uses.
pub(crate) fn non_finite_name(v: f64) -> &'static str {
    if v.is_nan() { "NaN" } else { "Infinity" }
}

/// Displays `path: ` or nothing for an empty path.
struct Prefix<'a>(&'a str);

impl fmt::Display for Prefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, "{}: ", self.0)
        }
    }
}
