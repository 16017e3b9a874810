//! What a careful person would write by hand for the batch-read exchange:
//! plain `String`/`Vec`/`Option` fields, closed enums, serde's derive with
//! `rename_all`. Field order and `skip_serializing_if` match the generated
//! models, so both encode to the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchResponse {
    pub completed_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<String>,
    pub results: Vec<AssociationMulti>,
    pub started_at: String,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    Canceled,
    Complete,
    Pending,
    Processing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssociationMulti {
    pub from: ObjectId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
    pub to: Vec<AssociatedObject>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectId {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssociatedObject {
    pub association_types: Vec<AssociationType>,
    pub to_object_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssociationType {
    pub category: Category,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_object_type_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_object_type_id: Option<String>,
    pub type_id: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    HubspotDefined,
    IntegratorDefined,
    UserDefined,
    Work,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paging {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<NextPage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<PreviousPage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NextPage {
    pub after: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviousPage {
    pub before: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The batch-read request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchInput {
    pub inputs: Vec<FetchInput>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    pub id: String,
}

/// The same structs with `jiff::Timestamp` dates (parsed, like the
/// generated models' own `Timestamp`): no heap allocation for them, which changes how glibc's malloc
/// trims the heap after a decode (see BENCHMARKS.md).
pub mod timestamps {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::{AssociationMulti, Status};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct BatchResponse {
        pub completed_at: jiff::Timestamp,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub links: Option<BTreeMap<String, String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub requested_at: Option<jiff::Timestamp>,
        pub results: Vec<AssociationMulti>,
        pub started_at: jiff::Timestamp,
        pub status: Status,
    }
}

/// The same structs with open enums written by hand (`Unknown(String)` for
/// values HubSpot adds later), to tell the cost of open enums from the cost
/// of generated code.
pub mod open {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::{ObjectId, Paging};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct BatchResponse {
        pub completed_at: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub links: Option<BTreeMap<String, String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub requested_at: Option<String>,
        pub results: Vec<AssociationMulti>,
        pub started_at: String,
        pub status: Status,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct AssociationMulti {
        pub from: ObjectId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub paging: Option<Paging>,
        pub to: Vec<AssociatedObject>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct AssociatedObject {
        pub association_types: Vec<AssociationType>,
        pub to_object_id: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct AssociationType {
        pub category: Category,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub from_object_type_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub label: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub to_object_type_id: Option<String>,
        pub type_id: i32,
    }

    macro_rules! open_enum {
        ($name:ident { $($variant:ident = $value:literal),* }) => {
            #[derive(Debug, Clone, PartialEq, Eq)]
            pub enum $name {
                $($variant,)*
                Unknown(String),
            }

            impl $name {
                pub fn as_str(&self) -> &str {
                    match self {
                        $(Self::$variant => $value,)*
                        Self::Unknown(other) => other,
                    }
                }
            }

            impl Serialize for $name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }

            impl<'de> Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    struct Visitor;
                    impl serde::de::Visitor<'_> for Visitor {
                        type Value = $name;
                        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                            f.write_str("a string")
                        }
                        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                            Ok(match v {
                                $($value => $name::$variant,)*
                                other => $name::Unknown(other.to_owned()),
                            })
                        }
                    }
                    d.deserialize_str(Visitor)
                }
            }
        };
    }

    open_enum!(Status {
        Canceled = "CANCELED",
        Complete = "COMPLETE",
        Pending = "PENDING",
        Processing = "PROCESSING"
    });

    open_enum!(Category {
        HubspotDefined = "HUBSPOT_DEFINED",
        IntegratorDefined = "INTEGRATOR_DEFINED",
        UserDefined = "USER_DEFINED",
        Work = "WORK"
    });
}
