//! [`PodTemplate`]: flytekit's `flytekit.core.pod_template.PodTemplate`, with
//! the pod spec kept as a `google.protobuf.Struct`.

use std::collections::BTreeMap;

use prost_types::value::Kind;
use prost_types::{ListValue, Struct, Value};

use crate::K8sError;

/// flytekit's `PRIMARY_CONTAINER_DEFAULT_NAME`.
pub const PRIMARY_CONTAINER_DEFAULT_NAME: &str = "primary";

/// A pod template: a pod spec plus the pod's labels and annotations and the
/// name of the container Flyte runs the task in.
///
/// flytekit's semantics, which the models' `K8sPod::from_pod_template` and
/// `K8sPod::to_pod_template` follow:
///
/// * **defaults**: `pod_spec` is `V1PodSpec(containers=[])`, i.e.
///   `{"containers": []}` ([`PodTemplate::default`]); `primary_container_name`
///   is `"primary"`; labels and annotations are `None`, which the IDL cannot
///   tell from empty maps, so here they are empty maps.
/// * an empty `primary_container_name` is refused by flytekit
///   (`A primary container name cannot be undefined`): see [`PodTemplate::check`].
/// * `K8sPod.from_pod_template(pt)` gives `metadata = {labels, annotations}`
///   (always present, `{}` in JSON when both are empty), `pod_spec` = the
///   sanitized pod spec (always present) and `primary_container_name`.
/// * `K8sPod.to_pod_template()` in flytekit drops `primary_container_name`
///   (the result has `"primary"`) and crashes (`AttributeError: 'NoneType'
///   object has no attribute 'labels'`) when the K8sPod has no metadata. Ours
///   keeps the name (falling back to `"primary"` when the K8sPod has none)
///   and treats missing metadata as empty labels and annotations.
///
/// ```
/// use flyte_ray_k8s::{PodTemplate, find_container};
///
/// let pt = PodTemplate::default();
/// assert_eq!(pt.primary_container_name, "primary");
/// assert_eq!(serde_json::to_string(&flyte_ray_k8s::SerializeStruct(&pt.pod_spec)).unwrap(), r#"{"containers":[]}"#);
/// assert!(pt.primary_container().is_none());
/// assert!(pt.check().is_ok());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PodTemplate {
    /// The Kubernetes `PodSpec` as JSON (camelCase keys, unset fields omitted).
    pub pod_spec: Struct,
    /// Labels of the pod (`metadata.labels`).
    pub labels: BTreeMap<String, String>,
    /// Annotations of the pod (`metadata.annotations`).
    pub annotations: BTreeMap<String, String>,
    /// The container in `pod_spec.containers` that runs the task.
    pub primary_container_name: String,
}

impl Default for PodTemplate {
    fn default() -> Self {
        PodTemplate {
            pod_spec: empty_pod_spec(),
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
            primary_container_name: PRIMARY_CONTAINER_DEFAULT_NAME.to_owned(),
        }
    }
}

/// `{"containers": []}`: what flytekit's `V1PodSpec(containers=[])` sanitizes to.
///
/// ```
/// assert_eq!(flyte_ray_k8s::empty_pod_spec().fields.len(), 1);
/// ```
pub fn empty_pod_spec() -> Struct {
    let mut fields = BTreeMap::new();
    fields.insert(
        "containers".to_owned(),
        Value {
            kind: Some(Kind::ListValue(ListValue { values: Vec::new() })),
        },
    );
    Struct { fields }
}

impl PodTemplate {
    /// A template with this pod spec and flytekit's defaults for the rest.
    ///
    /// ```
    /// use flyte_ray_k8s::{PodTemplate, pod_spec_from_resources};
    ///
    /// let pt = PodTemplate::new(pod_spec_from_resources("primary", None, None, None));
    /// assert!(pt.primary_container().is_some());
    /// ```
    pub fn new(pod_spec: Struct) -> Self {
        PodTemplate {
            pod_spec,
            ..PodTemplate::default()
        }
    }

    /// flytekit's `__post_init__` check: the primary container name must not be empty.
    ///
    /// # Errors
    /// [`K8sError::EmptyPrimaryContainerName`].
    ///
    /// ```
    /// use flyte_ray_k8s::PodTemplate;
    ///
    /// let pt = PodTemplate { primary_container_name: String::new(), ..PodTemplate::default() };
    /// assert!(pt.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), K8sError> {
        if self.primary_container_name.is_empty() {
            Err(K8sError::EmptyPrimaryContainerName)
        } else {
            Ok(())
        }
    }

    /// The primary container (index in `containers` and the container), if
    /// the pod spec has one; see [`find_container`](crate::find_container).
    ///
    /// ```
    /// use flyte_ray_k8s::{PodTemplate, pod_spec_from_resources};
    ///
    /// let pt = PodTemplate::new(pod_spec_from_resources("main", None, None, None));
    /// assert!(pt.primary_container().is_none()); // looks for "primary"
    /// let pt = PodTemplate { primary_container_name: "main".into(), ..pt };
    /// assert_eq!(pt.primary_container().map(|(i, _)| i), Some(0));
    /// ```
    pub fn primary_container(&self) -> Option<(usize, &Struct)> {
        crate::find_container(&self.pod_spec, &self.primary_container_name)
    }

    /// A template with this typed pod spec (converted with
    /// [`pod_spec_to_struct`](crate::pod_spec_to_struct)) and flytekit's
    /// defaults for the rest.
    ///
    /// # Errors
    /// As [`pod_spec_to_struct`](crate::pod_spec_to_struct).
    ///
    /// ```
    /// use flyte_ray_k8s::PodTemplate;
    /// use k8s_openapi::api::core::v1::{Container, PodSpec};
    ///
    /// let spec = PodSpec {
    ///     containers: vec![Container { name: "primary".into(), ..Default::default() }],
    ///     ..Default::default()
    /// };
    /// let pt = PodTemplate::from_typed(&spec).unwrap();
    /// assert_eq!(pt.typed_pod_spec().unwrap(), spec);
    /// ```
    #[cfg(feature = "k8s-openapi")]
    pub fn from_typed(pod_spec: &k8s_openapi::api::core::v1::PodSpec) -> Result<Self, K8sError> {
        Ok(PodTemplate::new(crate::pod_spec_to_struct(pod_spec)?))
    }

    /// The pod spec as a typed `PodSpec`
    /// ([`struct_to_pod_spec`](crate::struct_to_pod_spec)).
    ///
    /// # Errors
    /// As [`struct_to_pod_spec`](crate::struct_to_pod_spec), with the JSON path.
    #[cfg(feature = "k8s-openapi")]
    pub fn typed_pod_spec(&self) -> Result<k8s_openapi::api::core::v1::PodSpec, K8sError> {
        crate::struct_to_pod_spec(&self.pod_spec)
    }
}
