//! Errors of the models crate.

/// Bytes that are not a valid encoding of the expected message, or that
/// hold a field the schema does not know.
///
/// The message says which message was being decoded and, where known, the
/// field path inside it (`RayCluster.worker_group_spec:
/// WorkerGroupSpec.group_name: invalid string value: data is not UTF-8
/// encoded`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes are not a protobuf encoding of the message.
    #[error("cannot decode {message} from {len} bytes: {source}")]
    Malformed {
        /// Full protobuf name of the message being decoded.
        message: &'static str,
        /// Length of the input.
        len: usize,
        /// What prost found wrong, with the field path.
        #[source]
        source: prost::DecodeError,
    },
    /// The bytes hold a field the schema does not know. Keeping it is
    /// impossible and dropping it silently would lose data; use
    /// `from_bytes_ignoring_unknown_fields` to drop it on purpose.
    #[error(
        "cannot decode {message}: unknown field number {number} in {holder}{} \
         (decode with from_bytes_ignoring_unknown_fields to drop it)",
        if path.is_empty() { String::new() } else { format!(" at {path}") }
    )]
    UnknownField {
        /// Full protobuf name of the message being decoded.
        message: &'static str,
        /// Path of proto field names to the message holding the field
        /// (`RayJob.ray_cluster: RayCluster.head_group_spec`); empty when it
        /// is the top-level message.
        path: String,
        /// Name of the message holding the field.
        holder: String,
        /// The unknown field's number.
        number: u32,
    },
}

/// A model that the Flyte 1 dialect (`flyteidl`) cannot carry.
///
/// The message names the field and where it is
/// (`RayCluster.head_group_spec: HeadGroupSpec.extended_resources (field 3)
/// exists only in flyteidl2; flyteidl.plugins.RayJob cannot carry it`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DialectError {
    /// The model sets a field that only flyteidl2 has.
    #[error(
        "{}{holder}.{field} (field {number}) exists only in flyteidl2; {message} cannot carry it",
        if path.is_empty() { String::new() } else { format!("{path}: ") }
    )]
    V2OnlyField {
        /// Full protobuf name of the flyteidl message asked for.
        message: &'static str,
        /// Path of proto field names to the message holding the field
        /// (`RayJob.ray_cluster: RayCluster.head_group_spec`); empty when it
        /// is the top-level message.
        path: String,
        /// Name of the message holding the field.
        holder: String,
        /// The field's name (`extended_resources`).
        field: &'static str,
        /// The field's number.
        number: u32,
    },
    /// The message's bytes did not decode as the other generation's message
    /// (nesting past protobuf's recursion limit, which messages built in
    /// code can reach).
    #[error("cannot convert to {message}: {source}")]
    Reencode {
        /// Full protobuf name of the message converted to.
        message: &'static str,
        /// prost's error.
        #[source]
        source: prost::DecodeError,
    },
}

impl DialectError {
    /// The proto3 JSON path of the field a [`V2OnlyField`](Self::V2OnlyField)
    /// error names, from the converted message
    /// (`rayCluster.headGroupSpec.extendedResources`), as validation findings
    /// and JSON reading errors write paths; `None` for other errors.
    pub fn json_path(&self) -> Option<String> {
        match self {
            DialectError::V2OnlyField { path, field, .. } => {
                Some(crate::dialect::json_path(path, field))
            }
            DialectError::Reencode { .. } => None,
        }
    }
}

/// A dialect name that is not `auto`, `flyteidl` or `flyteidl2`
/// (from [`Dialect`](crate::Dialect)'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown IDL dialect {name:?} (expected auto, flyteidl or flyteidl2)")]
pub struct ParseDialectError {
    /// The name given.
    pub name: String,
}
