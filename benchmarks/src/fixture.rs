//! A realistic `POST /crm/associations/2026-03/contacts/companies/batch/read`
//! exchange: 1,000 inputs in, 1,000 results × 10 associations each out.

use std::fmt::Write as _;

use hubspot_associations::v2026_03::associations as generated;

use crate::hand;

/// Results in the response (HubSpot's batch-read limit).
pub const RESULTS: usize = 1_000;
/// Associated records per result.
pub const ASSOCIATIONS_PER_RESULT: usize = 10;

/// Record id of the `i`-th input.
pub fn input_id(i: usize) -> String {
    (51_000_000_000 + i as u64 * 7).to_string()
}

/// The 200 response body, as HubSpot spells it: camelCase keys in its order,
/// `"label": null` for unlabelled types, a labelled user-defined type on
/// every third association and an integrator-defined one on every fifth, a
/// paging cursor on every fourth result.
pub fn batch_read_body() -> Vec<u8> {
    let mut out = String::with_capacity(2 << 20);
    out.push_str(r#"{"status":"COMPLETE","results":["#);
    for i in 0..RESULTS {
        if i > 0 {
            out.push(',');
        }
        write!(out, r#"{{"from":{{"id":"{}"}},"to":["#, input_id(i)).unwrap();
        for j in 0..ASSOCIATIONS_PER_RESULT {
            if j > 0 {
                out.push(',');
            }
            let to = 18_000_000_000 + (i * ASSOCIATIONS_PER_RESULT + j) as u64 * 13;
            write!(
                out,
                r#"{{"toObjectId":"{to}","associationTypes":[{{"category":"HUBSPOT_DEFINED","typeId":280,"label":null}}"#
            )
            .unwrap();
            if j % 3 == 0 {
                write!(
                    out,
                    r#",{{"category":"USER_DEFINED","typeId":{},"label":"Decision maker"}}"#,
                    40 + j
                )
                .unwrap();
            }
            if j % 5 == 0 {
                out.push_str(
                    r#",{"category":"INTEGRATOR_DEFINED","typeId":1013,"label":"Billing contact"}"#,
                );
            }
            out.push_str("]}");
        }
        out.push(']');
        if i % 4 == 0 {
            write!(
                out,
                r#","paging":{{"next":{{"after":"MTAwMDAw{i:06}","link":"https://api.hubapi.com/crm/associations/2026-03/contacts/companies/batch/read?after=MTAwMDAw{i:06}"}}}}"#
            )
            .unwrap();
        }
        out.push('}');
    }
    out.push_str(
        r#"],"requestedAt":"2026-03-14T09:26:53.112Z","startedAt":"2026-03-14T09:26:53.131Z","completedAt":"2026-03-14T09:26:53.412Z"}"#,
    );
    out.into_bytes()
}

/// The 1,000-input request body, generated types.
pub fn generated_input() -> generated::BatchInputPublicFetchAssociationsBatchRequest {
    generated::BatchInputPublicFetchAssociationsBatchRequest::new(
        (0..RESULTS)
            .map(|i| generated::PublicFetchAssociationsBatchRequest::new(input_id(i)))
            .collect::<Vec<_>>(),
    )
}

/// The same request body, hand-written types.
pub fn hand_input() -> hand::BatchInput {
    hand::BatchInput {
        inputs: (0..RESULTS)
            .map(|i| hand::FetchInput {
                after: None,
                id: input_id(i),
            })
            .collect(),
    }
}
