//! The method names of one version's endpoints, all together: the names
//! `specs/overrides.toml` gives, the default rule for the rest, and the
//! tie-break where several endpoints would get one name.

use super::clashes::NameClash;
use super::defaults::{PathShape, default_operation_name, endpoint_key};
use super::reserved::RESERVED_METHODS;
use crate::ir::HttpMethod;

/// One endpoint of a version, as [`assign_operation_names`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointRef {
    /// The HTTP method.
    pub method: HttpMethod,
    /// Path template exactly as in the document.
    pub path: String,
    /// The document's `info.version`.
    pub version: String,
    /// The document, relative to the specs folder (`2026-09/associations.json`).
    pub source: String,
}

impl EndpointRef {
    /// Its version-free endpoint key, e.g. `POST /crm/associations/{}/{}/batch/read`.
    pub fn key(&self) -> String {
        endpoint_key(self.method, &self.path, &self.version)
    }
}

impl std::fmt::Display for EndpointRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{} {}` (version {}, {})",
            self.method.as_str(),
            self.path,
            self.version,
            self.source
        )
    }
}

/// Method names for every endpoint of one version (all documents of a
/// version share one `Api`), in the order given.
///
/// A name `overrides.toml` gives is kept; two different keys given the same
/// name there are an error naming both. Otherwise each endpoint gets
/// [`default_operation_name`], and where several claim one name the
/// last-resort tie-break applies, which never fails: named endpoints first,
/// then the endpoint with the fewest path parameters (then by key and path)
/// keeps the name, and each other one takes the first free of
/// `<name>_by_<parameters after the last literal>`, `<name>_<version segment>`
/// (only where one document carries the same endpoint under two versions, so
/// the key is the same) and `<name>_2`,
/// `<name>_3`…. Default names never take one of `reserved` (derived method
/// names found taken after lowering, see `project::generate`).
pub fn assign_operation_names(
    endpoints: &[EndpointRef],
    overrides: &crate::overrides::Overrides,
    reserved: &std::collections::BTreeSet<String>,
) -> Result<Vec<String>, Box<NameClash>> {
    let keys: Vec<String> = endpoints.iter().map(EndpointRef::key).collect();
    let explicit: Vec<Option<&str>> = keys.iter().map(|k| overrides.name_for(k)).collect();
    let bases: Vec<String> = endpoints
        .iter()
        .zip(&explicit)
        .map(|(e, name)| match name {
            Some(name) => (*name).to_owned(),
            None => default_operation_name(e.method, &e.path, &e.version),
        })
        .collect();
    // Two keys named alike in overrides.toml: only the user can fix that.
    let mut named: std::collections::BTreeMap<&str, usize> = Default::default();
    for (i, name) in explicit.iter().enumerate() {
        let Some(name) = name else { continue };
        match named.get(name) {
            Some(&j) if keys[j] != keys[i] => {
                return Err(Box::new(NameClash {
                    name: (*name).to_owned(),
                    first: endpoints[j].clone(),
                    second: endpoints[i].clone(),
                    both_explicit: true,
                }));
            }
            Some(_) => {}
            None => {
                named.insert(name, i);
            }
        }
    }
    let mut order: Vec<usize> = (0..endpoints.len()).collect();
    order.sort_by_key(|&i| {
        let e = &endpoints[i];
        (
            explicit[i].is_none(),
            template_param_count(&e.path),
            keys[i].clone(),
            e.path.clone(),
            e.source.clone(),
        )
    });
    let mut taken: std::collections::BTreeSet<String> =
        RESERVED_METHODS.iter().map(|s| (*s).to_owned()).collect();
    let mut names: Vec<Option<String>> = vec![None; endpoints.len()];
    for &i in &order {
        let free = explicit[i].is_some() || !reserved.contains(&bases[i]);
        if free && taken.insert(bases[i].clone()) {
            names[i] = Some(bases[i].clone());
        }
    }
    for &i in &order {
        if names[i].is_some() {
            continue;
        }
        let shape = PathShape::read(&endpoints[i].path, &endpoints[i].version);
        let base = bases[i].trim_start_matches("r#");
        let by_params = (!shape.trailing_params.is_empty())
            .then(|| format!("{base}_by_{}", shape.trailing_params.join("_")));
        // Only for the same endpoint under two versions: a version in the
        // name would otherwise change from one version to the next.
        let twin = (0..endpoints.len()).any(|j| j != i && keys[j] == keys[i]);
        let by_version = shape.version_segment.filter(|_| twin).map(|v| {
            format!(
                "{base}_{}",
                v.to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
            )
        });
        let numbered = (2..).map(|n| format!("{base}_{n}"));
        let name = by_params
            .into_iter()
            .chain(by_version)
            .chain(numbered)
            .find(|candidate| !taken.contains(candidate) && !reserved.contains(candidate))
            .expect("numbered names are endless");
        taken.insert(name.clone());
        names[i] = Some(name);
    }
    Ok(names.into_iter().map(|n| n.unwrap_or_default()).collect())
}

fn template_param_count(path: &str) -> usize {
    path.matches('{').count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(method: HttpMethod, path: &str, source: &str) -> EndpointRef {
        EndpointRef {
            method,
            path: path.into(),
            version: "2026-09-beta".into(),
            source: source.into(),
        }
    }

    fn overrides(toml: &str) -> crate::overrides::Overrides {
        crate::overrides::Overrides::parse(std::path::Path::new("overrides.toml"), toml).unwrap()
    }

    #[test]
    fn every_endpoint_gets_a_distinct_name() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(
                Get,
                "/crm/objects/2026-09-beta/{objectType}/{objectId}",
                "a.json",
            ),
            endpoint(Get, "/crm/objects/2026-09-beta/{objectType}", "a.json"),
            endpoint(Get, "/crm/objects/2026-09-beta/objects", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        // `/objects/{objectType}` and `/objects/objects`... differ; the first two by the rule.
        assert_eq!(
            names,
            ["get_object", "list_objects", "list_objects_objects"]
        );
    }

    #[test]
    fn tie_break_keeps_the_fewest_parameters_and_adds_by_parameters() {
        use HttpMethod::*;
        // Given in the "wrong" order: the tie-break does not depend on it.
        let endpoints = [
            endpoint(Get, "/crm/schemas/2026-09-beta/{objectType}", "b.json"),
            endpoint(Get, "/crm/schemas/2026-09-beta", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        assert_eq!(names, ["list_schemas_by_object_type", "list_schemas"]);
    }

    #[test]
    fn tie_break_uses_the_version_segment_for_one_path_under_two_versions() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/meta/origins/2026-03/ranges", "a.json"),
            endpoint(Get, "/meta/origins/2025-09/ranges", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        assert_eq!(
            names,
            [
                "list_meta_origins_ranges_2026_03",
                "list_meta_origins_ranges"
            ]
        );
    }

    #[test]
    fn tie_break_numbers_as_a_last_resort_and_never_takes_another_endpoints_name() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/things", "a.json"),
            endpoint(Get, "/things", "b.json"),
            endpoint(Get, "/things", "c.json"),
            // Its own name is what the tie-break would try first: it keeps it.
            endpoint(Get, "/things/2", "a.json"),
        ];
        let names =
            assign_operation_names(&endpoints, &overrides(""), &Default::default()).unwrap();
        assert_eq!(
            names,
            [
                "list_things",
                "list_things_3",
                "list_things_4",
                "list_things_2"
            ]
        );
    }

    #[test]
    fn a_named_endpoint_keeps_its_name_and_a_default_one_moves() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/crm/things/2026-09-beta", "a.json"),
            endpoint(Get, "/crm/other/2026-09-beta/{otherType}", "a.json"),
        ];
        let named = overrides("[endpoints.\"GET /crm/other/{}\"]\nname = \"list_things\"\n");
        let names = assign_operation_names(&endpoints, &named, &Default::default()).unwrap();
        assert_eq!(names, ["list_things_2", "list_things"]);
    }

    #[test]
    fn reserved_method_names_are_avoided() {
        let endpoints = [endpoint(HttpMethod::Post, "/new", "a.json")];
        let named = overrides("[endpoints.\"POST /new\"]\nname = \"new\"\n");
        assert_eq!(
            assign_operation_names(&endpoints, &named, &Default::default()).unwrap(),
            ["new_2"]
        );
    }

    #[test]
    fn two_keys_named_alike_in_overrides_is_an_error_naming_both() {
        use HttpMethod::*;
        let endpoints = [
            endpoint(Get, "/crm/a/2026-09-beta", "x/one.json"),
            endpoint(Get, "/crm/b/2026-09-beta", "x/two.json"),
        ];
        let named = overrides(
            "[endpoints.\"GET /crm/a\"]\nname = \"same\"\n[endpoints.\"GET /crm/b\"]\nname = \"same\"\n",
        );
        let clash = assign_operation_names(&endpoints, &named, &Default::default()).unwrap_err();
        assert_eq!(clash.name, "same");
        assert_eq!(
            (clash.first.key(), clash.second.key()),
            ("GET /crm/a".into(), "GET /crm/b".into())
        );
        assert!(clash.both_explicit);
    }
}
