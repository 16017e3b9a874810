//! A body that does not decode is reported with the JSON path of the
//! problem. The client reads that path off serde_json's error position
//! instead of tracking it while decoding (so each type's decoder is compiled
//! once, BENCHMARKS.md 2b); these tests hold it to what `serde_path_to_error`
//! reports for the same type and bytes: bodies cut at every byte, wrong
//! values at every depth, compact and pretty-printed.

use hubspot_associations::AssociationsExt as _;
use hubspot_associations::Client;
use hubspot_associations::Error;
use hubspot_associations::runtime::{KeepsUndecoded, MockHttp, MockResponse};
use hubspot_associations::v2026_09::associations as assoc;
use hubspot_associations::v2026_09::associations_schema as schema;
use serde::de::DeserializeOwned;

type Batch = assoc::BatchResponsePublicAssociationMultiWithLabel;

/// A batch-read answer with every kind of value: nested objects and
/// arrays, escaped quotes, numbers, dates, an error entry with a map.
const BATCH: &str = r#"{"status":"COMPLETE","results":[{"from":{"id":"1"},"to":[{"toObjectId":"2","associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":1,"label":"a \"b\" c"},{"category":"USER_DEFINED","typeId":57}]}],"paging":{"next":{"after":"x","link":"?after=x"}}}],"errors":[{"status":"error","category":"X","message":"m","context":{"k":["v"]}}],"startedAt":"2026-03-04T10:15:30Z","completedAt":"2026-03-04T10:15:31Z"}"#;

/// The path `serde_path_to_error` names for `body` as `T`.
fn reference_path<T: DeserializeOwned>(body: &[u8]) -> String {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => e.path().to_string(),
        // Trailing characters after a whole value: the top level.
        Ok(_) if de.end().is_err() => ".".to_owned(),
        Ok(_) => panic!("{} decodes", String::from_utf8_lossy(body)),
    }
}

fn pretty(json: &str) -> String {
    serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(json).unwrap()).unwrap()
}

#[test]
fn a_body_cut_anywhere_names_the_same_path() {
    for whole in [BATCH.to_owned(), pretty(BATCH)] {
        let mut checked = 0;
        for len in 0..whole.len() {
            let cut = &whole.as_bytes()[..len];
            let ours = Batch::from_json_keeping(cut).unwrap_err();
            assert_eq!(
                ours.path,
                reference_path::<Batch>(cut),
                "cut after {len} bytes: {:?} ({})",
                String::from_utf8_lossy(cut),
                ours.message
            );
            assert!(ours.message.contains("EOF"), "{}", ours.message);
            checked += 1;
        }
        assert!(checked > 400);
    }
    // The deepest cut names the deepest field.
    let cut = &BATCH[..BATCH.find(r#""typeId":1"#).unwrap() + r#""typeId":"#.len()];
    let ours = Batch::from_json_keeping(cut.as_bytes()).unwrap_err();
    assert_eq!(ours.path, "results[0].to[0].associationTypes[0].typeId");
}

/// Wrong values at each depth of the labels answer, as (find, replace).
const LABEL_MUTATIONS: &[(&str, &str)] = &[
    (r#""typeId":12"#, r#""typeId":"twelve""#),
    (r#""typeId":12"#, r#""typeId":1.5"#),
    (r#""typeId":12"#, r#""typeId":99999999999"#),
    (r#""typeId":12"#, r#""typeId":null"#),
    (r#""typeId":12"#, r#""typeId":{"a":[1,2]}"#),
    (r#""typeId":1}"#, r#""typeId":[1]}"#),
    (r#""label":"Manager""#, r#""label":[7]"#),
    (r#""typeId":12"#, r#""typeId":"12x""#),
    (r#","typeId":1}"#, r#"}"#),
    (r#""category":"HUBSPOT_DEFINED""#, r#""category":false"#),
    (r#"{"results":["#, r#"{"results":{"#),
    (r#"{"results":["#, r#"{"results":"none","x":["#),
    (r#"]}"#, r#"],"results":[]}"#),
    (r#"]}"#, r#"]} trailing"#),
    (r#""label":"Manager""#, r#""label":"Man\qager""#),
];

const LABELS: &str = r#"{"results":[{"category":"USER_DEFINED","typeId":12,"label":"Manager"},{"category":"HUBSPOT_DEFINED","typeId":1}]}"#;

#[tokio::test]
async fn a_wrong_value_names_the_same_path_through_the_client() {
    type Labels = schema::CollectionResponseAssociationSpecWithLabelNoPaging;
    let mut checked = 0;
    for (find, replace) in LABEL_MUTATIONS {
        for base in [LABELS.to_owned(), pretty(LABELS)] {
            // Pretty printing puts a space after each colon.
            let (find, replace) = if base.contains('\n') {
                (find.replace("\":", "\": "), replace.replace("\":", "\": "))
            } else {
                (find.to_string(), replace.to_string())
            };
            if !base.contains(&find) {
                continue;
            }
            let body = base.replacen(&find, &replace, 1);
            let mock = MockHttp::new();
            let client = Client::builder("t").http(mock.clone()).build().unwrap();
            mock.respond(
                "GET",
                "/crm/associations/2026-09/contacts/companies/labels",
                MockResponse::json(200, body.clone()),
            );
            let err = client
                .associations()
                .v2026_09()
                .list_labels("contacts", "companies")
                .await
                .unwrap_err();
            let Error::Decode { path, message, .. } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(
                path,
                &reference_path::<Labels>(body.as_bytes()),
                "{body} ({message})"
            );
            // Below the top level the path says where; at the top level
            // serde_json's position stays in the message.
            assert_eq!(message.contains(" at line "), path == ".", "{message}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn a_batch_entry_that_does_not_decode_names_the_same_path() {
    let cases = [
        (r#""typeId":57"#, r#""typeId":"57x""#),
        (r#""toObjectId":"2""#, r#""toObjectId":{"id":2}"#),
        (r#""toObjectId":"2""#, r#""toObjectId":null"#),
        (r#""from":{"id":"1"},"#, ""),
        (r#""after":"x""#, r#""after":["x"]"#),
    ];
    for (find, replace) in cases {
        let body = BATCH.replacen(find, replace, 1);
        let batch = Batch::from_json_keeping(body.as_bytes()).unwrap();
        assert!(batch.results.is_empty(), "{body}");
        let [entry] = &batch.undecoded[..] else {
            panic!("{:?}", batch.undecoded)
        };
        let inner = serde_json::to_vec(&entry.raw).unwrap();
        let reference = reference_path::<assoc::PublicAssociationMultiWithLabel>(&inner);
        let reference = if reference == "." {
            "results[0]".to_owned()
        } else {
            format!("results[0].{reference}")
        };
        assert_eq!(entry.path, reference, "{body}");
    }
    // A list entry or a date given as an object or array.
    let labels = r#"{"status":"COMPLETE","results":[{"fromObjectId":"1","fromObjectTypeId":"0-1","toObjectId":"2","toObjectTypeId":"0-2","labels":["a","b"]}],"startedAt":"2026-03-04T10:15:30Z","completedAt":"2026-03-04T10:15:31Z"}"#;
    for (find, replace) in [
        (r#""labels":["a","b"]"#, r#""labels":[{"a":1},"b"]"#),
        (r#""labels":["a","b"]"#, r#""labels":["a",["b"]]"#),
        (r#""labels":["a","b"]"#, r#""labels":["a", {}]"#),
    ] {
        type Labels = assoc::BatchResponseLabelsBetweenObjectPair;
        let body = labels.replacen(find, replace, 1);
        let batch = Labels::from_json_keeping(body.as_bytes()).unwrap();
        let [entry] = &batch.undecoded[..] else {
            panic!("{body}: {:?}", batch.undecoded)
        };
        let inner = serde_json::to_vec(&entry.raw).unwrap();
        let reference = reference_path::<assoc::LabelsBetweenObjectPair>(&inner);
        assert_eq!(entry.path, format!("results[0].{reference}"), "{body}");
    }
    for replace in [
        r#""startedAt":{"x":1}"#,
        r#""startedAt":[1]"#,
        r#""startedAt": {}"#,
    ] {
        let body = BATCH.replacen(r#""startedAt":"2026-03-04T10:15:30Z""#, replace, 1);
        let problem = Batch::from_json_keeping(body.as_bytes()).unwrap_err();
        assert_eq!(problem.path, "startedAt", "{body}");
        assert_eq!(problem.path, reference_path::<Batch>(body.as_bytes()));
    }

    // A wrong top level fails as a whole, with its path (an integer there
    // would now be the open enum's `Unknown("5")`).
    let body = BATCH.replacen(r#""status":"COMPLETE""#, r#""status":[5]"#, 1);
    let problem = Batch::from_json_keeping(body.as_bytes()).unwrap_err();
    assert_eq!(problem.path, "status");
    assert_eq!(problem.path, reference_path::<Batch>(body.as_bytes()));
}
