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
