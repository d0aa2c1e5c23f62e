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

/// The [`DialectError`](crate::DialectError) for the first flyteidl2-only
/// field a model of type `T` sets, if any.
pub(crate) fn v2_only_error<T: crate::FlyteIdlEntity>(bytes: &[u8]) -> Option<crate::DialectError> {
    first_v2_only_field(T::PROTO_NAME, T::PROTO2_NAME, bytes).map(|field| {
        crate::DialectError::V2OnlyField {
            message: T::PROTO_NAME,
            path: field.path,
            holder: field.holder,
            field: field.field,
            number: field.number,
        }
    })
}

/// The IDL generation a spec is read in and written to: what `flyte-ray
/// --idl auto|flyteidl|flyteidl2` chooses.
///
/// flyteidl2 (Flyte 2) has every message and field of flyteidl (Flyte 1)
/// with the same numbers and JSON names, and adds a few
/// (`HeadGroupSpec.extended_resources`, `WorkerGroupSpec.extended_resources`,
/// `DataLoadingConfig.file_input_layout`, `GPUAccelerator.device_class` and
/// `accelerator_model`). The models hold every field, so reading accepts both
/// generations; the dialect says whether the flyteidl2-only fields are
/// allowed:
///
/// - [`Auto`](Self::Auto) (the default) and [`Flyteidl2`](Self::Flyteidl2)
///   accept every field;
/// - [`Flyteidl`](Self::Flyteidl) is strict Flyte 1: a model that sets a
///   flyteidl2-only field is an error naming it (path and field), whatever
///   format it was read from — the Flyte 1 message cannot carry the field,
///   and a Flyte 1 backend would drop it silently.
///
/// ```
/// use flyte_ray_models::{Dialect, ExtendedResources, HeadGroupSpec, RayCluster, RayJob};
///
/// let head = HeadGroupSpec::new().with_extended_resources(ExtendedResources::new());
/// let job = RayJob::new(RayCluster::new(vec![]).with_head_group_spec(head));
/// assert!(Dialect::Auto.check(&job).is_ok());
/// assert!(Dialect::Flyteidl2.check(&job).is_ok());
///
/// let err = Dialect::Flyteidl.check(&job).unwrap_err();
/// assert_eq!(err.json_path().as_deref(), Some("rayCluster.headGroupSpec.extendedResources"));
/// assert_eq!(
///     err.to_string(),
///     "RayJob.ray_cluster: RayCluster.head_group_spec: HeadGroupSpec.extended_resources (field 3) \
///      exists only in flyteidl2; flyteidl.plugins.RayJob cannot carry it"
/// );
///
/// assert_eq!("flyteidl".parse::<Dialect>().unwrap(), Dialect::Flyteidl);
/// assert_eq!(Dialect::default(), Dialect::Auto);
/// assert_eq!(Dialect::Flyteidl2.to_string(), "flyteidl2");
/// assert!("flyteidl3".parse::<Dialect>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Either generation (every flyteidl2 field accepted); the default.
    #[default]
    Auto,
    /// Flyte 1 (`flyteidl` 1.16, flytekit) strictly: flyteidl2-only fields
    /// are errors.
    Flyteidl,
    /// Flyte 2 (`flyteidl2` 2.0): every field.
    Flyteidl2,
}

impl Dialect {
    /// Every dialect, in the order `--idl` lists them.
    pub const ALL: [Dialect; 3] = [Dialect::Auto, Dialect::Flyteidl, Dialect::Flyteidl2];

    /// `"auto"`, `"flyteidl"` or `"flyteidl2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Auto => "auto",
            Dialect::Flyteidl => "flyteidl",
            Dialect::Flyteidl2 => "flyteidl2",
        }
    }

    /// Whether `model` can be written in this dialect: always for
    /// [`Auto`](Self::Auto) and [`Flyteidl2`](Self::Flyteidl2); for
    /// [`Flyteidl`](Self::Flyteidl), an error naming the first flyteidl2-only
    /// field the model sets (the same as
    /// [`to_flyteidl_v1`](crate::FlyteIdlEntity::to_flyteidl_v1) reports,
    /// without building the Flyte 1 message).
    ///
    /// # Errors
    /// [`DialectError::V2OnlyField`](crate::DialectError::V2OnlyField).
    pub fn check<T: crate::FlyteIdlEntity>(self, model: &T) -> Result<(), crate::DialectError> {
        match self {
            Dialect::Auto | Dialect::Flyteidl2 => Ok(()),
            // Unknown fields are not flyteidl2 fields: only the known ones count.
            Dialect::Flyteidl => match v2_only_error::<T>(&crate::known_bytes(model)) {
                Some(e) => Err(e),
                None => Ok(()),
            },
        }
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Dialect {
    type Err = crate::ParseDialectError;

    /// `auto`, `flyteidl` or `flyteidl2` (exactly).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| crate::ParseDialectError { name: s.to_owned() })
    }
}

/// proto3 JSON name of a proto field name (protoc's `ToJsonName`:
/// underscores dropped, the letter after one upper-cased).
fn json_name(proto: &str) -> String {
    let mut out = String::with_capacity(proto.len());
    let mut upper = false;
    for c in proto.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The proto3 JSON path of a field at `path` (as
/// [`crate::DialectError::V2OnlyField`] writes it: `RayJob.ray_cluster:
/// RayCluster.worker_group_spec[1]`) named `field`:
/// `rayCluster.workerGroupSpec[1].extendedResources`.
pub(crate) fn json_path(path: &str, field: &str) -> String {
    let mut steps: Vec<String> = Vec::new();
    if !path.is_empty() {
        for step in path.split(": ") {
            // `Message.field_name` or `Message.field_name[3]`.
            let name = step.split_once('.').map_or(step, |(_, f)| f);
            let (name, index) = match name.find('[') {
                Some(i) => name.split_at(i),
                None => (name, ""),
            };
            steps.push(format!("{}{index}", json_name(name)));
        }
    }
    steps.push(json_name(field));
    steps.join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths() {
        assert_eq!(json_path("", "device_class"), "deviceClass");
        assert_eq!(
            json_path(
                "RayJob.ray_cluster: RayCluster.worker_group_spec[2]",
                "extended_resources"
            ),
            "rayCluster.workerGroupSpec[2].extendedResources"
        );
        assert_eq!(
            json_path(
                "HeadGroupSpec.k8s_pod: K8sPod.data_config",
                "file_input_layout"
            ),
            "k8sPod.dataConfig.fileInputLayout"
        );
    }
}
