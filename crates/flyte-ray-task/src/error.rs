//! Errors: a document that is not a config ([`ConfigError`]), and an error
//! the SDK itself raises for a config ([`SdkError`]).

use std::fmt;

/// A document that is not a valid `RayJobConfig` for the chosen SDK.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The text is not JSON or YAML, or breaks a reader bound (depth,
    /// aliases, duplicate keys, NaN).
    #[error("{0}")]
    Syntax(String),
    /// The document does not match the config schema: an unknown key, a
    /// wrong type, a missing required key.
    #[error("{path}: {message}")]
    Invalid {
        /// Where, e.g. `worker_node_config[1].requests.cpu` (`.` for the top).
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// The Python exception class the SDK raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SdkErrorType {
    /// `ValueError` (both SDKs).
    ValueError,
    /// `AssertionError` (flytekit's `Resources` type checks).
    AssertionError,
    /// `FlyteValidationException` (flytekit; a subclass of `AssertionError`).
    FlyteValidationException,
    /// `RuntimeUserError` (Flyte 2; its `code` is `BadConfiguration`).
    RuntimeUserError,
}

impl SdkErrorType {
    /// The class name, as `type(e).__name__` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            SdkErrorType::ValueError => "ValueError",
            SdkErrorType::AssertionError => "AssertionError",
            SdkErrorType::FlyteValidationException => "FlyteValidationException",
            SdkErrorType::RuntimeUserError => "RuntimeUserError",
        }
    }
}

impl fmt::Display for SdkErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error the SDK raises for this config, reproduced: the exception type
/// and `str(e)` exactly, plus where in the config it comes from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {kind}: {message}")]
pub struct SdkError {
    /// The exception class.
    pub kind: SdkErrorType,
    /// `str(e)`, exactly as the SDK prints it.
    pub message: String,
    /// `e.code` for a Flyte 2 `RuntimeUserError` (`"BadConfiguration"`).
    pub code: Option<&'static str>,
    /// The config path the error is about (`worker_node_config[0].requests`),
    /// `.` for the whole config.
    pub path: String,
}

impl SdkError {
    pub(crate) fn new(
        kind: SdkErrorType,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        SdkError {
            kind,
            message: message.into(),
            code: (kind == SdkErrorType::RuntimeUserError).then_some("BadConfiguration"),
            path: path.into(),
        }
    }

    pub(crate) fn value(path: impl Into<String>, message: impl Into<String>) -> Self {
        SdkError::new(SdkErrorType::ValueError, path, message)
    }
}

/// Why a document could not be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The document is not a config.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The SDK raises for this config.
    #[error(transparent)]
    Sdk(#[from] SdkError),
}
