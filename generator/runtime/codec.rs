//! JSON for the models without proc macros. Each generated struct lists its
//! fields and writes a short `from_map` loop; the visitor, key matching and
//! missing/duplicate checks live here once. The crate then builds without
//! `serde_derive` and `syn`, which would otherwise be the longest chain of a
//! cold build.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct};

/// A struct decoded from a JSON object, field by field.
#[doc(hidden)]
pub trait JsonStruct: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The JSON names of its fields; a key's position here is its index.
    const FIELDS: &'static [&'static str];

    /// The index of the field spelled `key` in JSON, if the type has one
    /// (a `match`, which compiles to a length switch and one comparison).
    fn field_index(key: &str) -> Option<usize>;

    /// Reads the object's entries (see [`next_field`]) and builds the value.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` for a [`JsonStruct`].
#[doc(hidden)]
pub fn decode_struct<'de, T: JsonStruct, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, StructVisitor::<T>(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: JsonStruct> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The next key of an object: `Some(Some(index))` for a listed field,
/// `Some(None)` for a key the type does not list (its value must be skipped),
/// `None` at the end.
#[doc(hidden)]
pub fn next_field<'de, T: JsonStruct, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<Option<usize>>, A::Error> {
    map.next_key_seed(FieldKey::<T>(PhantomData))
}

struct FieldKey<T>(PhantomData<T>);

impl<'de, T: JsonStruct> DeserializeSeed<'de> for FieldKey<T> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: JsonStruct> Visitor<'_> for FieldKey<T> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(T::field_index(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Option<usize>, E> {
        Ok(std::str::from_utf8(key).ok().and_then(T::field_index))
    }
}

/// Decodes the current entry's value into `slot`; a key seen twice is an
/// error, as with `serde_derive`.
#[doc(hidden)]
pub fn set<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Skips the current entry's value (a key the type does not list).
#[doc(hidden)]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<de::IgnoredAny>().map(drop)
}

/// The value of a required field, or serde's "missing field" error.
#[doc(hidden)]
pub fn required<'de, A: MapAccess<'de>, T>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, A::Error> {
    slot.ok_or_else(|| de::Error::missing_field(name))
}

/// Writes an optional field when it is set; leaves it out when `None`.
#[doc(hidden)]
pub fn optional_field<S: SerializeStruct, T: Serialize>(
    out: &mut S,
    name: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => out.serialize_field(name, value),
        None => out.skip_field(name),
    }
}
