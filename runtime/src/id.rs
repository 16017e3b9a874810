//! `ObjectId`: a record id as callers hold it, text or an integer.

use std::fmt;

/// The id of a CRM record, from whatever a caller holds it as.
///
/// HubSpot numbers its records. Its documents type the ids as strings, its
/// live endpoints send some as JSON numbers, and callers keep them as `u64`
/// from a database or as `String`s from a form. Every record-id argument of
/// the generated crate (path parameters such as `objectId`, `toObjectId`,
/// and the `id` of models' `new(..)` and setters) takes
/// `impl Into<ObjectId>`, so each of these passes:
///
/// ```ignore
/// PublicObjectId::new(101);
/// PublicObjectId::new(5434402448u64);
/// PublicObjectId::new("101");
/// PublicObjectId::new(id_string);
/// ```
///
/// Nothing changes on the wire: an id is sent as its exact decimal text (a
/// JSON string in bodies, one path segment in paths), as the documents ask.
/// An integer literal with no suffix is an `i32`; ids above 2,147,483,647
/// need one (`5434402448u64`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectId(String);

impl ObjectId {
    /// The id's text, as it is sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The text of any id: what generated builders store in a model's
    /// `String` field.
    #[inline]
    pub fn into_text(id: impl Into<ObjectId>) -> String {
        id.into().0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ObjectId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<ObjectId> for String {
    fn from(id: ObjectId) -> String {
        id.0
    }
}

impl From<&ObjectId> for ObjectId {
    fn from(id: &ObjectId) -> ObjectId {
        id.clone()
    }
}

impl From<&str> for ObjectId {
    fn from(id: &str) -> ObjectId {
        ObjectId(id.to_owned())
    }
}

impl From<String> for ObjectId {
    fn from(id: String) -> ObjectId {
        ObjectId(id)
    }
}

impl From<&String> for ObjectId {
    fn from(id: &String) -> ObjectId {
        ObjectId(id.clone())
    }
}

/// Integers: their exact decimal text (no float on the way, so
/// `18446744073709551615u64` stays as written).
macro_rules! from_integers {
    ($($t:ty),*) => {$(
        impl From<$t> for ObjectId {
            fn from(id: $t) -> ObjectId {
                ObjectId(id.to_string())
            }
        }
    )*};
}

from_integers!(u64, i64, u32, i32, usize);

#[cfg(test)]
mod tests {
    use super::ObjectId;

    #[test]
    fn every_form_a_caller_holds_gives_the_exact_decimal_text() {
        let text = String::from("101");
        let all: [ObjectId; 9] = [
            101.into(),
            101u32.into(),
            101i64.into(),
            101usize.into(),
            101u64.into(),
            "101".into(),
            text.clone().into(),
            (&text).into(),
            (&ObjectId::from(101)).into(),
        ];
        assert!(all.iter().all(|id| id.as_str() == "101"), "{all:?}");
        assert_eq!(ObjectId::from(5434402448u64).to_string(), "5434402448");
        assert_eq!(
            ObjectId::into_text(u64::MAX),
            "18446744073709551615",
            "no float rounding"
        );
        assert_eq!(ObjectId::into_text(i32::MIN), "-2147483648");
        assert_eq!(String::from(ObjectId::from("0-1")), "0-1");
    }
}
