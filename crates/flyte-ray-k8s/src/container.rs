//! Finding a container by name in a pod spec kept as a `Struct`.

use prost_types::Struct;
use prost_types::value::Kind;

/// Finds the first container named `name` in the pod spec's `containers`
/// list; returns its index in that list and the container.
///
/// `None` when there is no `containers` list, or no element of it is an
/// object whose `name` is the string `name`. Elements that are not objects,
/// or have no string `name`, are skipped (they still count for the index).
/// `initContainers` are not searched, as Flyte only looks for the primary
/// container in `containers`.
///
/// ```
/// use flyte_ray_k8s::{find_container, json_to_struct};
///
/// let spec = json_to_struct(&serde_json::json!({
///     "containers": [{"name": "sidecar"}, {"name": "primary", "image": "ray"}]
/// })).unwrap();
/// let (i, c) = find_container(&spec, "primary").unwrap();
/// assert_eq!(i, 1);
/// assert!(c.fields.contains_key("image"));
/// assert!(find_container(&spec, "missing").is_none());
/// ```
pub fn find_container<'a>(pod_spec: &'a Struct, name: &str) -> Option<(usize, &'a Struct)> {
    let Some(Kind::ListValue(list)) = pod_spec.fields.get("containers")?.kind.as_ref() else {
        return None;
    };
    list.values
        .iter()
        .enumerate()
        .find_map(|(i, v)| match &v.kind {
            Some(Kind::StructValue(c)) => {
                match c.fields.get("name").and_then(|n| n.kind.as_ref()) {
                    Some(Kind::StringValue(n)) if n == name => Some((i, c)),
                    _ => None,
                }
            }
            _ => None,
        })
}
