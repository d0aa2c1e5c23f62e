//! The models of `flytekit.models.task` that Ray specs carry: [`K8sPod`],
//! [`K8sObjectMetadata`], [`DataLoadingConfig`], [`IOStrategy`] and
//! [`Resources`].

use std::collections::BTreeMap;

use flyte_ray_idl::flyteidl2::core as idl;

use crate::pod_spec::PodSpec;
use crate::{DownloadMode, FileInputLayout, LiteralMapFormat, ResourceName, UploadMode};

/// A Kubernetes pod: metadata, a `PodSpec` kept as a protobuf `Struct`, data
/// loading and the primary container's name (`flyteidl.core.K8sPod`,
/// flytekit's `K8sPod`).
///
/// The pod spec is kept exactly as the message carries it — every number
/// bit for bit, NaN and `-0.0` included — and two pod specs are equal when
/// their canonical encodings are (so `-0.0` differs from `0.0`, and a NaN
/// equals the same NaN). One read from bytes or text stays in its encoding
/// until [`pod_spec`](Self::pod_spec) asks for a `Struct`, which makes
/// decoding, encoding and JSON cheap. Unlike flytekit, which drops it on
/// decoding, `primary_container_name` survives every round trip.
///
/// ```
/// use flyte_ray_models::{K8sObjectMetadata, K8sPod};
///
/// let spec = serde_json::json!({"containers": [{"name": "ray-head", "image": "rayproject/ray:2.9.0"}]});
/// let pod = K8sPod::new()
///     .with_metadata(K8sObjectMetadata::new().with_labels([("team", "ml")]))
///     .with_pod_spec_json(&spec)
///     .unwrap()
///     .with_primary_container_name("ray-head");
/// assert_eq!(pod.pod_spec_json().unwrap().unwrap(), spec);
/// assert_eq!(pod.primary_container_name(), "ray-head");
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct K8sPod {
    pub(crate) metadata: Option<K8sObjectMetadata>,
    pub(crate) pod_spec: Option<PodSpec>,
    pub(crate) data_config: Option<DataLoadingConfig>,
    pub(crate) primary_container_name: String,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl K8sPod {
    /// flytekit's `K8sPod()`: nothing set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the metadata.
    #[must_use]
    pub fn with_metadata(mut self, metadata: K8sObjectMetadata) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// Sets the pod spec from a `Struct`.
    #[must_use]
    pub fn with_pod_spec(mut self, pod_spec: prost_types::Struct) -> Self {
        self.pod_spec = Some(PodSpec::Struct(pod_spec));
        self
    }

    /// Sets the pod spec from JSON, as flytekit does from a dict (numbers
    /// become doubles). Fails unless `pod_spec` is a JSON object.
    pub fn with_pod_spec_json(
        mut self,
        pod_spec: &serde_json::Value,
    ) -> Result<Self, flyte_ray_k8s::K8sError> {
        self.pod_spec = Some(PodSpec::Struct(flyte_ray_k8s::json_to_struct(pod_spec)?));
        Ok(self)
    }

    /// Sets the pod spec from a typed Kubernetes `PodSpec`
    /// ([`k8s_openapi`](crate::k8s_openapi)), as flytekit does from a
    /// `V1PodSpec` (every number becomes a double). Fails only for what
    /// serde cannot write (see [`flyte_ray_k8s::pod_spec_to_struct`]).
    pub fn with_typed_pod_spec(
        mut self,
        pod_spec: &crate::k8s_openapi::api::core::v1::PodSpec,
    ) -> Result<Self, flyte_ray_k8s::K8sError> {
        self.pod_spec = Some(PodSpec::Struct(flyte_ray_k8s::pod_spec_to_struct(
            pod_spec,
        )?));
        Ok(self)
    }

    /// The pod spec as a typed Kubernetes `PodSpec`; `Ok(None)` when
    /// absent; an error with the path of the first value that does not fit
    /// (`containers[0].name: missing field ...`).
    pub fn typed_pod_spec(
        &self,
    ) -> Result<Option<crate::k8s_openapi::api::core::v1::PodSpec>, flyte_ray_k8s::K8sError> {
        self.pod_spec()
            .map(flyte_ray_k8s::struct_to_pod_spec)
            .transpose()
    }

    /// Sets the data loading configuration.
    #[must_use]
    pub fn with_data_config(mut self, data_config: DataLoadingConfig) -> Self {
        self.data_config = Some(data_config);
        self
    }

    /// Sets the name of the container that runs the task.
    #[must_use]
    pub fn with_primary_container_name(mut self, name: impl Into<String>) -> Self {
        self.primary_container_name = name.into();
        self
    }

    /// The metadata; `None` when absent.
    pub fn metadata(&self) -> Option<&K8sObjectMetadata> {
        self.metadata.as_ref()
    }

    /// Replaces (or removes) the metadata.
    pub fn set_metadata(&mut self, metadata: Option<K8sObjectMetadata>) {
        self.metadata = metadata;
    }

    /// The pod spec as the message carries it; `None` when absent. A pod
    /// spec read from bytes or text becomes a `Struct` on the first call
    /// (then kept): its known part, without the unknown fields read inside
    /// it (which the model keeps and encodes).
    pub fn pod_spec(&self) -> Option<&prost_types::Struct> {
        self.pod_spec.as_ref().map(PodSpec::as_struct)
    }

    /// The pod spec, mutably. A pod spec read from bytes or text becomes a
    /// `Struct` for good (encoding the model then walks that `Struct`);
    /// unknown fields read inside it (see
    /// [`unknown_fields`](crate::FlyteIdlEntity::unknown_fields)) are
    /// dropped then, as a `Struct` cannot hold them.
    pub fn pod_spec_mut(&mut self) -> Option<&mut prost_types::Struct> {
        self.pod_spec.as_mut().and_then(PodSpec::make_struct)
    }

    /// Replaces (or removes) the pod spec.
    pub fn set_pod_spec(&mut self, pod_spec: Option<prost_types::Struct>) {
        self.pod_spec = pod_spec.map(PodSpec::Struct);
    }

    /// The pod spec's binary encoding (a `google.protobuf.Struct`, in
    /// canonical form: entries sorted by key, and unknown fields read inside
    /// it after the known fields of their message); `None` when absent.
    /// Borrowed, with no `Struct` built, when the pod spec was read from
    /// bytes or text.
    ///
    /// ```
    /// use flyte_ray_models::{FlyteIdlEntity, K8sPod};
    ///
    /// let pod = K8sPod::new().with_pod_spec_json(&serde_json::json!({"b": true, "a": null})).unwrap();
    /// // Entry "a" (null_value 0), then entry "b" (bool_value true).
    /// let a = [0x0a, 0x07, 0x0a, 0x01, b'a', 0x12, 0x02, 0x08, 0x00];
    /// let b = [0x0a, 0x07, 0x0a, 0x01, b'b', 0x12, 0x02, 0x20, 0x01];
    /// assert_eq!(pod.pod_spec_encoding().unwrap().as_ref(), [a, b].concat());
    /// ```
    pub fn pod_spec_encoding(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        self.pod_spec.as_ref().map(PodSpec::encoding)
    }

    /// The pod spec as JSON (flytekit's `pod_spec` dict); `Ok(None)` when
    /// absent; an error for a NaN or infinite number, which JSON cannot hold.
    pub fn pod_spec_json(&self) -> Result<Option<serde_json::Value>, flyte_ray_k8s::K8sError> {
        self.pod_spec()
            .map(|s| flyte_ray_k8s::struct_to_json(s).map(serde_json::Value::Object))
            .transpose()
    }

    /// The data loading configuration; `None` when absent.
    pub fn data_config(&self) -> Option<&DataLoadingConfig> {
        self.data_config.as_ref()
    }

    /// Replaces (or removes) the data loading configuration.
    pub fn set_data_config(&mut self, data_config: Option<DataLoadingConfig>) {
        self.data_config = data_config;
    }

    /// Name of the container that runs the task; empty when unset.
    pub fn primary_container_name(&self) -> &str {
        &self.primary_container_name
    }

    /// Sets the primary container's name.
    pub fn set_primary_container_name(&mut self, name: impl Into<String>) {
        self.primary_container_name = name.into();
    }

    /// flytekit's `K8sPod.from_pod_template(pod_template)`: metadata with
    /// the template's labels and annotations (always present), its pod spec
    /// and its primary container name.
    ///
    /// ```
    /// use flyte_ray_k8s::PodTemplate;
    /// use flyte_ray_models::K8sPod;
    ///
    /// let pod = K8sPod::from_pod_template(&PodTemplate::default());
    /// assert_eq!(pod.primary_container_name(), "primary");
    /// assert!(pod.metadata().is_some());
    /// assert_eq!(pod.to_pod_template(), PodTemplate::default());
    /// ```
    pub fn from_pod_template(template: &flyte_ray_k8s::PodTemplate) -> Self {
        Self {
            metadata: Some(K8sObjectMetadata {
                labels: template.labels.clone(),
                annotations: template.annotations.clone(),
                unknown: Default::default(),
            }),
            pod_spec: Some(PodSpec::Struct(template.pod_spec.clone())),
            data_config: None,
            primary_container_name: template.primary_container_name.clone(),
            unknown: Default::default(),
        }
    }

    /// flytekit's `K8sPod.to_pod_template()`, except that ours keeps
    /// `primary_container_name` (flytekit resets it to `"primary"`; we fall
    /// back to `"primary"` only when it is empty) and treats a missing
    /// `metadata` as no labels and no annotations (flytekit raises
    /// `AttributeError`). A missing pod spec becomes `{"containers": []}`,
    /// the pod spec of flytekit's default `PodTemplate`. `data_config` has no
    /// place in a pod template and is not carried over.
    pub fn to_pod_template(&self) -> flyte_ray_k8s::PodTemplate {
        let (labels, annotations) = self
            .metadata
            .as_ref()
            .map(|m| (m.labels.clone(), m.annotations.clone()))
            .unwrap_or_default();
        flyte_ray_k8s::PodTemplate {
            pod_spec: self
                .pod_spec()
                .cloned()
                .unwrap_or_else(flyte_ray_k8s::empty_pod_spec),
            labels,
            annotations,
            primary_container_name: if self.primary_container_name.is_empty() {
                flyte_ray_k8s::PRIMARY_CONTAINER_DEFAULT_NAME.to_owned()
            } else {
                self.primary_container_name.clone()
            },
        }
    }
}

/// Labels and annotations of a Kubernetes object
/// (`flyteidl.core.K8sObjectMetadata`, flytekit's `K8sObjectMetadata`).
///
/// ```
/// use flyte_ray_models::K8sObjectMetadata;
///
/// let m = K8sObjectMetadata::new()
///     .with_labels([("app", "ray")])
///     .with_annotations([("example.com/owner", "ml")]);
/// assert_eq!(m.labels()["app"], "ray");
/// assert_eq!(m.annotations().len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct K8sObjectMetadata {
    pub(crate) labels: BTreeMap<String, String>,
    pub(crate) annotations: BTreeMap<String, String>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl K8sObjectMetadata {
    /// flytekit's `K8sObjectMetadata()`: no labels, no annotations.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the labels.
    #[must_use]
    pub fn with_labels<K: Into<String>, V: Into<String>>(
        mut self,
        labels: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.labels = crate::ray::collect_map(labels);
        self
    }

    /// Sets the annotations.
    #[must_use]
    pub fn with_annotations<K: Into<String>, V: Into<String>>(
        mut self,
        annotations: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.annotations = crate::ray::collect_map(annotations);
        self
    }

    /// The labels, sorted by key.
    pub fn labels(&self) -> &BTreeMap<String, String> {
        &self.labels
    }

    /// The labels, mutably.
    pub fn labels_mut(&mut self) -> &mut BTreeMap<String, String> {
        &mut self.labels
    }

    /// The annotations, sorted by key.
    pub fn annotations(&self) -> &BTreeMap<String, String> {
        &self.annotations
    }

    /// The annotations, mutably.
    pub fn annotations_mut(&mut self) -> &mut BTreeMap<String, String> {
        &mut self.annotations
    }
}

/// Where a raw container finds its inputs and writes its outputs
/// (`flyteidl.core.DataLoadingConfig`, flytekit's `DataLoadingConfig`).
///
/// ```
/// use flyte_ray_models::{DataLoadingConfig, LiteralMapFormat};
///
/// // flytekit's defaults: enabled, PROTO format.
/// let d = DataLoadingConfig::new("/var/inputs", "/var/outputs");
/// assert!(d.enabled());
/// assert_eq!(d.format_enum(), Some(LiteralMapFormat::Proto));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DataLoadingConfig {
    pub(crate) enabled: bool,
    pub(crate) input_path: String,
    pub(crate) output_path: String,
    pub(crate) format: i32,
    pub(crate) io_strategy: Option<IOStrategy>,
    pub(crate) file_input_layout: i32,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl DataLoadingConfig {
    /// flytekit's `DataLoadingConfig(input_path, output_path)`:
    /// `enabled=True`, `format=PROTO`, no IO strategy.
    pub fn new(input_path: impl Into<String>, output_path: impl Into<String>) -> Self {
        Self {
            enabled: true,
            input_path: input_path.into(),
            output_path: output_path.into(),
            format: LiteralMapFormat::Proto as i32,
            io_strategy: None,
            file_input_layout: 0,
            unknown: Default::default(),
        }
    }

    /// Turns data loading on or off.
    #[must_use]
    pub fn with_enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Sets the literal map format.
    #[must_use]
    pub fn with_format(mut self, format: LiteralMapFormat) -> Self {
        self.format = format as i32;
        self
    }

    /// Sets the IO strategy.
    #[must_use]
    pub fn with_io_strategy(mut self, io_strategy: IOStrategy) -> Self {
        self.io_strategy = Some(io_strategy);
        self
    }

    /// Whether data loading is on.
    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Directory the inputs are written to.
    pub fn input_path(&self) -> &str {
        &self.input_path
    }

    /// Directory the outputs are read from.
    pub fn output_path(&self) -> &str {
        &self.output_path
    }

    /// The format as its number (known or not).
    pub fn format(&self) -> i32 {
        self.format
    }

    /// The format, or `None` for a number the enum does not define.
    pub fn format_enum(&self) -> Option<LiteralMapFormat> {
        LiteralMapFormat::try_from(self.format).ok()
    }

    /// The IO strategy; `None` when absent.
    pub fn io_strategy(&self) -> Option<&IOStrategy> {
        self.io_strategy.as_ref()
    }

    /// Sets the layout of input files (a flyteidl2 field; 0, `DIRECT`, is
    /// the default and the only layout a Flyte 1 backend knows).
    #[must_use]
    pub fn with_file_input_layout(mut self, layout: FileInputLayout) -> Self {
        self.file_input_layout = layout as i32;
        self
    }

    /// The layout of input files as its number (known or not; 0 when unset).
    pub fn file_input_layout(&self) -> i32 {
        self.file_input_layout
    }

    /// The layout of input files, or `None` for an unknown number.
    pub fn file_input_layout_enum(&self) -> Option<FileInputLayout> {
        FileInputLayout::try_from(self.file_input_layout).ok()
    }

    /// Sets the layout of input files to any number, known or not.
    pub fn set_file_input_layout(&mut self, layout: i32) {
        self.file_input_layout = layout;
    }
}

/// How inputs are downloaded and outputs uploaded
/// (`flyteidl.core.IOStrategy`, flytekit's `IOStrategy`).
///
/// ```
/// use flyte_ray_models::{DownloadMode, IOStrategy, UploadMode};
///
/// // flytekit's defaults: download eagerly, upload on exit.
/// let s = IOStrategy::new();
/// assert_eq!(s.download_mode_enum(), Some(DownloadMode::DownloadEager));
/// assert_eq!(s.upload_mode_enum(), Some(UploadMode::UploadOnExit));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct IOStrategy {
    pub(crate) download_mode: i32,
    pub(crate) upload_mode: i32,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl IOStrategy {
    /// flytekit's `IOStrategy()`: `DOWNLOAD_EAGER`, `UPLOAD_ON_EXIT`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the download mode.
    #[must_use]
    pub fn with_download_mode(mut self, mode: DownloadMode) -> Self {
        self.download_mode = mode as i32;
        self
    }

    /// Sets the upload mode.
    #[must_use]
    pub fn with_upload_mode(mut self, mode: UploadMode) -> Self {
        self.upload_mode = mode as i32;
        self
    }

    /// The download mode as its number (known or not).
    pub fn download_mode(&self) -> i32 {
        self.download_mode
    }

    /// The download mode, or `None` for an unknown number.
    pub fn download_mode_enum(&self) -> Option<DownloadMode> {
        DownloadMode::try_from(self.download_mode).ok()
    }

    /// The upload mode as its number (known or not).
    pub fn upload_mode(&self) -> i32 {
        self.upload_mode
    }

    /// The upload mode, or `None` for an unknown number.
    pub fn upload_mode_enum(&self) -> Option<UploadMode> {
        UploadMode::try_from(self.upload_mode).ok()
    }
}

/// Resource requests and limits (`flyteidl.core.Resources`, flytekit's
/// `Resources` model — not to be confused with `flytekit.Resources`).
///
/// ```
/// use flyte_ray_models::{ResourceEntry, ResourceName, Resources};
///
/// let r = Resources::new(
///     vec![ResourceEntry::new(ResourceName::Cpu, "2")],
///     vec![ResourceEntry::new(ResourceName::Memory, "4Gi")],
/// );
/// assert_eq!(r.requests()[0].value(), "2");
/// assert_eq!(r.limits()[0].name_enum(), Some(ResourceName::Memory));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resources {
    pub(crate) requests: Vec<ResourceEntry>,
    pub(crate) limits: Vec<ResourceEntry>,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl Resources {
    /// flytekit's `Resources(requests, limits)`.
    pub fn new(requests: Vec<ResourceEntry>, limits: Vec<ResourceEntry>) -> Self {
        Self {
            requests,
            limits,
            unknown: Default::default(),
        }
    }

    /// What the task is guaranteed, in order.
    pub fn requests(&self) -> &[ResourceEntry] {
        &self.requests
    }

    /// What the task may use at most, in order.
    pub fn limits(&self) -> &[ResourceEntry] {
        &self.limits
    }

    /// The requests, mutably.
    pub fn requests_mut(&mut self) -> &mut Vec<ResourceEntry> {
        &mut self.requests
    }

    /// The limits, mutably.
    pub fn limits_mut(&mut self) -> &mut Vec<ResourceEntry> {
        &mut self.limits
    }
}

/// One resource and its amount (`flyteidl.core.Resources.ResourceEntry`,
/// flytekit's `Resources.ResourceEntry`).
///
/// ```
/// use flyte_ray_models::{ResourceEntry, ResourceName};
///
/// let e = ResourceEntry::new(ResourceName::Gpu, "1");
/// assert_eq!(e.name(), ResourceName::Gpu as i32);
/// assert_eq!(e.name_enum(), Some(ResourceName::Gpu));
/// assert_eq!(e.value(), "1");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ResourceEntry {
    pub(crate) name: i32,
    pub(crate) value: String,
    /// Fields the schema does not know, as read (written back after the
    /// known fields).
    pub(crate) unknown: crate::unknown_fields::UnknownFields,
}

impl ResourceEntry {
    /// flytekit's `ResourceEntry(name, value)`; `value` is a Kubernetes
    /// quantity such as `"500m"` or `"2Gi"`.
    pub fn new(name: ResourceName, value: impl Into<String>) -> Self {
        Self {
            name: name as i32,
            value: value.into(),
            unknown: Default::default(),
        }
    }

    /// The resource as its number (known or not).
    pub fn name(&self) -> i32 {
        self.name
    }

    /// The resource, or `None` for an unknown number.
    pub fn name_enum(&self) -> Option<ResourceName> {
        ResourceName::try_from(self.name).ok()
    }

    /// The amount.
    pub fn value(&self) -> &str {
        &self.value
    }
}

// ---- conversions to and from the IDL: moves, no copies -------------------

crate::convert::mirror!(
    K8sPod,
    idl::K8sPod {
        metadata: opt,
        pod_spec: opt,
        data_config: opt,
        primary_container_name: same,
    }
);
crate::convert::mirror!(
    K8sObjectMetadata,
    idl::K8sObjectMetadata {
        labels: same,
        annotations: same,
    }
);
crate::convert::mirror!(
    DataLoadingConfig,
    idl::DataLoadingConfig {
        enabled: same,
        input_path: same,
        output_path: same,
        format: same,
        io_strategy: opt,
        file_input_layout: same,
    }
);
crate::convert::mirror!(
    IOStrategy,
    idl::IoStrategy {
        download_mode: same,
        upload_mode: same,
    }
);
crate::convert::mirror!(
    Resources,
    idl::Resources {
        requests: vec,
        limits: vec,
    }
);
crate::convert::mirror!(
    ResourceEntry,
    idl::resources::ResourceEntry {
        name: same,
        value: same,
    }
);
