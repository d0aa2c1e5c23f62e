//! The two IDL generations: which fields exist only in `flyteidl2`.
//!
//! flyteidl2 has every message and field of flyteidl with the same numbers
//! and adds a few (`extended_resources` on the Ray groups,
//! `DataLoadingConfig.file_input_layout`, `GPUAccelerator.device_class` and
//! `accelerator_model`). A Flyte 1 reader sees those as fields it does not
//! know. Rather than keep a second list of them, the check walks the bytes
//! with the flyteidl descriptors and reports a field they do not know but
//! the flyteidl2 descriptors of the same message do.

use crate::unknown;

/// A flyteidl2-only field found in a message.
pub(crate) struct V2OnlyField {
    /// Path of proto field names to the message holding it (empty at the
    /// top level), as [`crate::DecodeError::UnknownField`] writes paths.
    pub(crate) path: String,
    /// Name of the message holding it.
    pub(crate) holder: String,
    /// The field's name.
    pub(crate) field: &'static str,
    /// The field's number.
    pub(crate) number: u32,
}

/// The flyteidl2 name of a flyteidl message name
/// (`flyteidl.plugins.RayJob` → `flyteidl2.plugins.RayJob`).
fn v2_name(v1: &str) -> Option<String> {
    v1.strip_prefix("flyteidl.")
        .map(|rest| format!("flyteidl2.{rest}"))
}

/// The first field in `bytes` (an encoding of the message `v1_name` /
/// `v2_name`) that flyteidl2 has and flyteidl lacks, in wire order.
pub(crate) fn first_v2_only_field(
    v1_name: &str,
    v2_name: &str,
    bytes: &[u8],
) -> Option<V2OnlyField> {
    debug_assert_eq!(self::v2_name(v1_name).as_deref(), Some(v2_name));
    let known_in_v2 = |holder: &str, number: u32| {
        self::v2_name(holder).is_some_and(|v2| unknown::field_name(&v2, number).is_some())
    };
    let found = unknown::find_unknown_where(v1_name, bytes, &known_in_v2)?;
    let field = self::v2_name(&found.holder_full)
        .and_then(|v2| unknown::field_name(&v2, found.number))
        .unwrap_or("?");
    Some(V2OnlyField {
        path: found.path,
        holder: found.holder,
        field,
        number: found.number,
    })
}
