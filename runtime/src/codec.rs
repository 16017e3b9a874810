//! JSON for the models without proc macros. The generator writes each struct
//! out with its docs and then one `json_struct!` line per field; the visitor,
//! key matching and the missing/duplicate/`null` rules live here once. The
//! crate then builds without `serde_derive` and `syn`, which would otherwise
//! be the longest chain of a cold build.
//!
//! A field is one of (the generator picks the kind by its decoding policy,
//! see the README; `null` counts as missing for every kind):
//! - `required`: always written; missing or `null` is an error (`null`
//!   fails where it is read, with serde's "invalid type: null" message);
//! - `required_json`: the same for a free-form `serde_json::Value`, which
//!   could otherwise hold the `null`;
//! - `nullable`: an `Option` always written (`null` when `None`); missing
//!   or `null` decodes as `None`;
//! - `optional`: an `Option` left out when `None`; missing or `null`
//!   decodes as `None`;
//! - `defaulted`: always written; missing or `null` decodes as the default
//!   (empty).
//!
//! The same four for lists (`required_list`, `nullable_list`,
//! `optional_list`, `defaulted_list`) hold a `Vec` allocated to the size of
//! the JSON array (see [`ExactVec`]) instead of serde's doubling growth.
//!
//! Each of the eight has a `_tolerant` form (`required_tolerant`,
//! `optional_tolerant_list`, …) for a scalar HubSpot sends as another JSON
//! kind than its document says (see [`Tolerant`]): a string field also
//! decodes from a number or boolean (as its text), a number field from a
//! string holding a number. The missing/`null` rules and encoding are those
//! of the plain kind.
//!
//! - `kept`: the `Vec<UndecodedEntry>` of a batch response, never
//!   read from JSON (a key of that name is skipped) nor written; filled by
//!   `keep_undecoded!`'s entry-by-entry decode (see `undecoded.rs`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{Serialize, SerializeStruct};

/// Implements `Serialize` and `Deserialize` for a struct whose fields are
/// listed as `kind field = "jsonName"`.
#[doc(hidden)]
#[macro_export]
macro_rules! __json_struct {
    ($name:ident {}) => {
        impl $crate::runtime::__private::serde::Serialize for $name {
            fn serialize<S: $crate::runtime::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let out = $crate::runtime::__private::serde::Serializer::serialize_struct(serializer, stringify!($name), 0)?;
                $crate::runtime::__private::serde::ser::SerializeStruct::end(out)
            }
        }

        impl<'de> $crate::runtime::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::runtime::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::__private::decode_struct(deserializer)
            }
        }

        impl $crate::runtime::__private::JsonStruct for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[];

            fn from_map<'de, A: $crate::runtime::__private::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                while map.next_key::<$crate::runtime::__private::serde::de::IgnoredAny>()?.is_some() {
                    map.next_value::<$crate::runtime::__private::serde::de::IgnoredAny>()?;
                }
                Ok(Self {})
            }
        }
    };
    ($name:ident { $($kind:ident $field:ident = $json:literal),+ $(,)? }) => {
        #[allow(deprecated)]
        impl $crate::runtime::__private::serde::Serialize for $name {
            fn serialize<S: $crate::runtime::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let len = 0 $(+ $crate::runtime::__private::$kind::count(&self.$field))+;
                let mut out = $crate::runtime::__private::serde::Serializer::serialize_struct(serializer, stringify!($name), len)?;
                $($crate::runtime::__private::$kind::write(&mut out, $json, &self.$field)?;)+
                $crate::runtime::__private::serde::ser::SerializeStruct::end(out)
            }
        }

        #[allow(deprecated)]
        impl<'de> $crate::runtime::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::runtime::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::__private::decode_struct(deserializer)
            }
        }

        #[allow(deprecated)]
        impl $crate::runtime::__private::JsonStruct for $name {
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($json),+];

            #[inline]
            fn from_map<'de, A: $crate::runtime::__private::serde::de::MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
                // The key is matched where it is read (no allocation), then
                // dispatched on this enum, as serde_derive does.
                #[allow(non_camel_case_types)]
                enum Field { $($field,)+ __Other }
                $(let mut $field = None;)+
                let known = |key: &str| match key {
                    $($json => Field::$field,)+
                    _ => Field::__Other,
                };
                while let Some(key) = map.next_key_seed($crate::runtime::__private::FieldKey(known))? {
                    match key {
                        $(Field::$field => $crate::runtime::__private::$kind::set(&mut $field, &mut map, $json)?,)+
                        Field::__Other => map.next_value::<$crate::runtime::__private::serde::de::IgnoredAny>().map(drop)?,
                    }
                }
                Ok(Self {
                    $($field: $crate::runtime::__private::$kind::finish::<A, _>($field, $json)?,)+
                })
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__json_struct as json_struct;

/// Implements `KeepsUndecoded` for a struct: `(Name, undecoded, [results =
/// "results", ..])` names the field that holds entries kept as JSON and the
/// lists whose entries are decoded one by one when the body does not decode
/// at once (see `undecoded.rs`).
#[doc(hidden)]
#[macro_export]
macro_rules! __keep_undecoded {
    ($name:ident, $undecoded:ident, [$($list:ident = $list_json:literal),+ $(,)?]) => {
        #[allow(deprecated)]
        impl $crate::runtime::__private::KeepsUndecoded for $name {
            // `#[inline]` keeps this non-generic function from being a
            // codegen root here: it (and every decoder it reaches) is built
            // only in the crates that call the operation, as a derived
            // `Deserialize` would be. Half the crate's LLVM IR otherwise.
            #[inline]
            fn from_value_keeping(
                mut value: $crate::runtime::__private::serde_json::Value,
            ) -> Result<Self, $crate::runtime::__private::DecodeProblem> {
                // Each list is taken out and decoded entry by entry; the
                // rest must decode as the document says.
                $(let $list = $crate::runtime::__private::take_list(&mut value, $list_json);)+
                let mut body: Self = $crate::runtime::__private::decode_value(value)?;
                let mut undecoded = Vec::new();
                $(if let Some(entries) = $list {
                    body.$list = $crate::runtime::__private::decode_entries(entries, $list_json, &mut undecoded);
                })+
                body.$undecoded = undecoded;
                Ok(body)
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__keep_undecoded as keep_undecoded;

/// A struct decoded from a JSON object.
#[doc(hidden)]
pub trait JsonStruct: Sized {
    /// The type's name, for error messages.
    const NAME: &'static str;
    /// The JSON names of its fields.
    const FIELDS: &'static [&'static str];

    /// Reads the object's entries and builds the value.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` for a [`JsonStruct`].
#[doc(hidden)]
#[inline]
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

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// Reads an object key and names the field it is, via the struct's own
/// `match` (given as a closure), without allocating.
#[doc(hidden)]
pub struct FieldKey<F>(pub F);

impl<'de, T, F: FnOnce(&str) -> T> de::DeserializeSeed<'de> for FieldKey<F> {
    type Value = T;

    #[inline(always)]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T, F: FnOnce(&str) -> T> Visitor<'_> for FieldKey<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline(always)]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<T, E> {
        Ok((self.0)(key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<T, E> {
        // Not valid UTF-8: matches no field, and is skipped.
        Ok((self.0)(&String::from_utf8_lossy(key)))
    }
}

/// Decodes the current entry's value into `slot`; a key seen twice is an
/// error, as with `serde_derive`.
#[doc(hidden)]
#[inline(always)]
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

/// Always written; missing or `null` is an error.
#[doc(hidden)]
pub mod required {
    pub use super::set;
    use super::*;

    /// Entries it writes.
    #[inline]
    pub fn count<T>(_: &T) -> usize {
        1
    }

    /// Writes the field.
    #[inline]
    pub fn write<S: SerializeStruct, T: Serialize>(
        out: &mut S,
        name: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        out.serialize_field(name, value)
    }

    /// The decoded value, or serde's "missing field" error. (`null` fails
    /// where it is read, with serde's "invalid type: null" error: decoding
    /// `T` directly keeps the fast path free of an `Option` per field.)
    #[inline]
    pub fn finish<'de, A: MapAccess<'de>, T>(
        slot: Option<T>,
        name: &'static str,
    ) -> Result<T, A::Error> {
        slot.ok_or_else(|| de::Error::missing_field(name))
    }
}

/// A required free-form JSON value: `null` is a JSON value, but like
/// every required field it counts as missing, so it fails.
#[doc(hidden)]
pub mod required_json {
    pub use super::required::{count, set, write};
    use super::*;

    /// The decoded value; missing or `null` is an error.
    #[inline]
    pub fn finish<'de, A: MapAccess<'de>, T: std::borrow::Borrow<serde_json::Value>>(
        slot: Option<T>,
        name: &'static str,
    ) -> Result<T, A::Error> {
        match slot {
            Some(value) if value.borrow().is_null() => Err(de::Error::custom(format_args!(
                "invalid type: null for field `{name}`, which is required and not nullable"
            ))),
            Some(value) => Ok(value),
            None => Err(de::Error::missing_field(name)),
        }
    }
}

/// An `Option` always written (`null` when `None`); missing is `None`.
#[doc(hidden)]
pub mod nullable {
    pub use super::optional::finish;
    pub use super::required::{count, set, write};
}

/// An `Option` left out when `None`; missing is `None`.
#[doc(hidden)]
pub mod optional {
    pub use super::set;
    use super::*;

    /// Entries it writes.
    #[inline]
    pub fn count<T>(value: &Option<T>) -> usize {
        usize::from(value.is_some())
    }

    /// Writes the field when it is set.
    #[inline]
    pub fn write<S: SerializeStruct, T: Serialize>(
        out: &mut S,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => out.serialize_field(name, value),
            None => out.skip_field(name),
        }
    }

    /// The decoded value; missing and `null` are both `None`.
    #[inline]
    pub fn finish<'de, A: MapAccess<'de>, T>(
        slot: Option<Option<T>>,
        _name: &'static str,
    ) -> Result<Option<T>, A::Error> {
        Ok(slot.flatten())
    }
}

/// Always written; missing or `null` decodes as the default.
#[doc(hidden)]
pub mod defaulted {
    pub use super::required::{count, set, write};
    use super::*;

    /// The decoded value, or the default.
    #[inline]
    pub fn finish<'de, A: MapAccess<'de>, T: Default>(
        slot: Option<Option<T>>,
        _name: &'static str,
    ) -> Result<T, A::Error> {
        Ok(slot.flatten().unwrap_or_default())
    }
}

/// A JSON array decoded into a `Vec` as long as the array, not longer.
///
/// serde's `Vec` grows 4, 8, 16, … as entries arrive (serde_json cannot
/// say an array's length up front), so a list of 1 or 2 entries, the usual
/// `associationTypes`, holds room for 4, and a list of 10 for 16: 2.8 MB of
/// a 1,000 × 10 batch read's 9.6 MB heap peak. Here one or two entries get
/// exactly their room, and a longer list gives back what is left over at
/// the end (an in-place shrink with glibc), so every list holds exactly its
/// entries. The smaller heap is what keeps glibc
/// from trimming and faulting it back in on every call (BENCHMARKS.md, 4c).
#[doc(hidden)]
pub struct ExactVec<T>(pub Vec<T>);

impl<'de, T: de::Deserialize<'de>> de::Deserialize<'de> for ExactVec<T> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_seq(ExactVecVisitor(PhantomData))
            .map(ExactVec)
    }
}

struct ExactVecVisitor<T>(PhantomData<T>);

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for ExactVecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    #[inline]
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // One or two entries (the usual `associationTypes`) get exactly their
        // room in one allocation; longer lists grow from 8 and give back what
        // is left over. Only two entries are held on the stack: each one more
        // is code repeated for every list type the crate decodes.
        let Some(first) = seq.next_element()? else {
            return Ok(Vec::new());
        };
        let Some(second) = seq.next_element()? else {
            return Ok(vec![first]);
        };
        let Some(third) = seq.next_element()? else {
            return Ok(vec![first, second]);
        };
        let mut list = Vec::with_capacity(8);
        list.extend([first, second, third]);
        while let Some(entry) = seq.next_element()? {
            list.push(entry);
        }
        list.shrink_to_fit();
        Ok(list)
    }
}

/// `required` for a list.
#[doc(hidden)]
pub mod required_list {
    pub use super::required::{count, finish, write};
    use super::*;

    /// Decodes the list into `slot`; a key seen twice is an error.
    #[inline(always)]
    pub fn set<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
        slot: &mut Option<Vec<T>>,
        map: &mut A,
        name: &'static str,
    ) -> Result<(), A::Error> {
        if slot.is_some() {
            return Err(de::Error::duplicate_field(name));
        }
        *slot = Some(map.next_value::<ExactVec<T>>()?.0);
        Ok(())
    }
}

/// Decodes an optional list (`null` is `None`) into `slot`.
#[doc(hidden)]
#[inline(always)]
pub fn set_optional_list<'de, T: de::Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<Option<Vec<T>>>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value::<Option<ExactVec<T>>>()?.map(|list| list.0));
    Ok(())
}

/// `nullable` for a list.
#[doc(hidden)]
pub mod nullable_list {
    pub use super::nullable::{count, finish, write};
    pub use super::set_optional_list as set;
}

/// `optional` for a list.
#[doc(hidden)]
pub mod optional_list {
    pub use super::optional::{count, finish, write};
    pub use super::set_optional_list as set;
}

/// `defaulted` for a list.
#[doc(hidden)]
pub mod defaulted_list {
    pub use super::defaulted::{count, finish, write};
    pub use super::set_optional_list as set;
}

/// A scalar decoded from the JSON kind its document gives or from the one
/// HubSpot is known to send instead (`overrides.toml`'s quirks table, the
/// README's "Decoding what HubSpot actually sends"):
///
/// - `Tolerant<String>`: a string; an integer as its decimal text, exactly
///   as written (`5434402448`, `-7`, `18446744073709551615`); another
///   number as the shortest text of its `f64` value (`1.5`, `1e3` and
///   `12.0` as `1000` and `12`), refused when whole and beyond ±2^53
///   (`18446744073709551616`, `1e21`: rounded, so not as written);
///   `true`/`false` as those words;
/// - `Tolerant<i32>`, `Tolerant<i64>`: an integer in range; a string that
///   is one (`"12"`; not `"12abc"`, `""`, `"+1"`, `" 1"`);
/// - `Tolerant<f32>`, `Tolerant<f64>`: a number; a string that is a JSON
///   number (`"1.5"`, `"-2e3"`).
///
/// Anything else fails as the strict type would, where it is read, so the
/// path of the failure is still found. Decoded through `deserialize_any`:
/// serde_json reads a string there exactly as for `deserialize_string`.
#[doc(hidden)]
pub struct Tolerant<T>(pub T);

impl<'de> de::Deserialize<'de> for Tolerant<String> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor).map(Tolerant)
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    #[inline]
    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    // serde_json gives an `f64` for a number with a fraction or exponent
    // and for an integer past `u64`/`i64`, already rounded: its text is
    // gone. A whole value below 2^53 is exact, so its integer text; a
    // fraction, the shortest digits that read back as the same `f64`
    // (`1.5`, `1e-7`); a whole value from 2^53 up may be a rounded id
    // (`18446744073709551616`), so it is refused rather than changed.
    // (Without serde_json's `float_roundtrip`, a number of more than 15
    // significant digits may read one unit in the last place off; ids are
    // integers, which never come here below `u64`/`i64`'s limits.)
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53
        if value.fract() != 0.0 {
            return Ok(format!("{value:?}"));
        }
        if value.abs() < EXACT_INTEGERS {
            return Ok((value as i64).to_string());
        }
        Err(E::invalid_value(
            de::Unexpected::Float(value),
            &"a string, or a number whose text is kept exactly (an integer within u64/i64, or below 2^53)",
        ))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        Ok(if value { "true" } else { "false" }.to_owned())
    }
}

/// A string that is a JSON integer: an optional `-`, then digits.
fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A string that is a JSON number: an integer, then an optional fraction
/// and exponent (checked loosely; `str::parse` rejects the rest).
fn is_number_text(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    body.starts_with(|c: char| c.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
}

macro_rules! tolerant_integer {
    ($($ty:ident),+) => {$(
        impl<'de> de::Deserialize<'de> for Tolerant<$ty> {
            #[inline]
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct IntegerVisitor;

                impl Visitor<'_> for IntegerVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!(stringify!($ty), ", or a string holding one"))
                    }

                    #[inline]
                    fn visit_u64<E: de::Error>(self, value: u64) -> Result<$ty, E> {
                        $ty::try_from(value)
                            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(value), &self))
                    }

                    #[inline]
                    fn visit_i64<E: de::Error>(self, value: i64) -> Result<$ty, E> {
                        $ty::try_from(value)
                            .map_err(|_| E::invalid_value(de::Unexpected::Signed(value), &self))
                    }

                    fn visit_str<E: de::Error>(self, text: &str) -> Result<$ty, E> {
                        if !is_integer_text(text) {
                            return Err(E::invalid_value(de::Unexpected::Str(text), &self));
                        }
                        text.parse()
                            .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &self))
                    }
                }

                deserializer.deserialize_any(IntegerVisitor).map(Tolerant)
            }
        }
    )+};
}

tolerant_integer!(i32, i64);

macro_rules! tolerant_float {
    ($($ty:ident),+) => {$(
        impl<'de> de::Deserialize<'de> for Tolerant<$ty> {
            #[inline]
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct FloatVisitor;

                impl Visitor<'_> for FloatVisitor {
                    type Value = $ty;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!(stringify!($ty), ", or a string holding one"))
                    }

                    // As serde reads a number into a float: `as`, which
                    // rounds to the nearest.
                    #[inline]
                    fn visit_f64<E: de::Error>(self, value: f64) -> Result<$ty, E> {
                        Ok(value as $ty)
                    }

                    #[inline]
                    fn visit_u64<E: de::Error>(self, value: u64) -> Result<$ty, E> {
                        Ok(value as $ty)
                    }

                    #[inline]
                    fn visit_i64<E: de::Error>(self, value: i64) -> Result<$ty, E> {
                        Ok(value as $ty)
                    }

                    fn visit_str<E: de::Error>(self, text: &str) -> Result<$ty, E> {
                        match text.parse::<$ty>() {
                            Ok(value) if is_number_text(text) && value.is_finite() => Ok(value),
                            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
                        }
                    }
                }

                deserializer.deserialize_any(FloatVisitor).map(Tolerant)
            }
        }
    )+};
}

tolerant_float!(f32, f64);

/// Decodes a tolerant scalar into `slot`; a key seen twice is an error.
#[doc(hidden)]
#[inline(always)]
pub fn set_tolerant<'de, T, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    Tolerant<T>: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value::<Tolerant<T>>()?.0);
    Ok(())
}

/// Decodes an optional tolerant scalar (`null` is `None`) into `slot`.
#[doc(hidden)]
#[inline(always)]
pub fn set_optional_tolerant<'de, T, A: MapAccess<'de>>(
    slot: &mut Option<Option<T>>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    Tolerant<T>: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(
        map.next_value::<Option<Tolerant<T>>>()?
            .map(|value| value.0),
    );
    Ok(())
}

/// The list as decoded, without the wrapper: collected in place, so the
/// `Vec` keeps the allocation [`ExactVec`] made at the array's length.
fn untolerant<T>(list: Vec<Tolerant<T>>) -> Vec<T> {
    list.into_iter().map(|value| value.0).collect()
}

/// Decodes a list of tolerant scalars into `slot`; a key seen twice is an error.
#[doc(hidden)]
#[inline(always)]
pub fn set_tolerant_list<'de, T, A: MapAccess<'de>>(
    slot: &mut Option<Vec<T>>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    Tolerant<T>: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(untolerant(map.next_value::<ExactVec<Tolerant<T>>>()?.0));
    Ok(())
}

/// Decodes an optional list of tolerant scalars (`null` is `None`) into `slot`.
#[doc(hidden)]
#[inline(always)]
pub fn set_optional_tolerant_list<'de, T, A: MapAccess<'de>>(
    slot: &mut Option<Option<Vec<T>>>,
    map: &mut A,
    name: &'static str,
) -> Result<(), A::Error>
where
    Tolerant<T>: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    let list = map.next_value::<Option<ExactVec<Tolerant<T>>>>()?;
    *slot = Some(list.map(|list| untolerant(list.0)));
    Ok(())
}

/// `required` for a [`Tolerant`] scalar.
#[doc(hidden)]
pub mod required_tolerant {
    pub use super::required::{count, finish, write};
    pub use super::set_tolerant as set;
}

/// `nullable` for a [`Tolerant`] scalar.
#[doc(hidden)]
pub mod nullable_tolerant {
    pub use super::nullable::{count, finish, write};
    pub use super::set_optional_tolerant as set;
}

/// `optional` for a [`Tolerant`] scalar.
#[doc(hidden)]
pub mod optional_tolerant {
    pub use super::optional::{count, finish, write};
    pub use super::set_optional_tolerant as set;
}

/// `defaulted` for a [`Tolerant`] scalar.
#[doc(hidden)]
pub mod defaulted_tolerant {
    pub use super::defaulted::{count, finish, write};
    pub use super::set_optional_tolerant as set;
}

/// `required_list` of [`Tolerant`] scalars.
#[doc(hidden)]
pub mod required_tolerant_list {
    pub use super::required::{count, finish, write};
    pub use super::set_tolerant_list as set;
}

/// `nullable_list` of [`Tolerant`] scalars.
#[doc(hidden)]
pub mod nullable_tolerant_list {
    pub use super::nullable::{count, finish, write};
    pub use super::set_optional_tolerant_list as set;
}

/// `optional_list` of [`Tolerant`] scalars.
#[doc(hidden)]
pub mod optional_tolerant_list {
    pub use super::optional::{count, finish, write};
    pub use super::set_optional_tolerant_list as set;
}

/// `defaulted_list` of [`Tolerant`] scalars.
#[doc(hidden)]
pub mod defaulted_tolerant_list {
    pub use super::defaulted::{count, finish, write};
    pub use super::set_optional_tolerant_list as set;
}

/// The entries a batch response kept as JSON: never read nor written.
#[doc(hidden)]
pub mod kept {
    use super::*;

    /// Entries it writes: none.
    #[inline]
    pub fn count<T>(_: &T) -> usize {
        0
    }

    /// Writes nothing.
    #[inline]
    pub fn write<S: SerializeStruct, T>(_: &mut S, _: &'static str, _: &T) -> Result<(), S::Error> {
        Ok(())
    }

    /// Skips a key of the same name.
    #[inline]
    pub fn set<'de, A: MapAccess<'de>>(
        _: &mut Option<()>,
        map: &mut A,
        _: &'static str,
    ) -> Result<(), A::Error> {
        map.next_value::<de::IgnoredAny>().map(drop)
    }

    /// Empty: only the entry-by-entry decode fills it.
    #[inline]
    pub fn finish<'de, A: MapAccess<'de>, T: Default>(
        _: Option<()>,
        _: &'static str,
    ) -> Result<T, A::Error> {
        Ok(T::default())
    }
}

#[cfg(test)]
mod tests {
    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::runtime::__private::json_struct!(Empty {});

    #[derive(Debug, PartialEq)]
    struct Kinds {
        a: u8,
        b: Option<u8>,
        c: Option<u8>,
        d: Vec<u8>,
    }

    crate::runtime::__private::json_struct!(Kinds {
        required a = "a",
        nullable b = "b",
        optional c = "c",
        defaulted d = "d",
    });

    #[derive(Debug, PartialEq)]
    struct Free {
        v: serde_json::Value,
    }

    crate::runtime::__private::json_struct!(Free {
        required_json v = "v",
    });

    #[derive(Debug, PartialEq)]
    struct Lists {
        a: Vec<u8>,
        b: Option<Vec<u8>>,
        c: Option<Vec<u8>>,
        d: Vec<Vec<u8>>,
    }

    crate::runtime::__private::json_struct!(Lists {
        required_list a = "a",
        nullable_list b = "b",
        optional_list c = "c",
        defaulted_list d = "d",
    });

    #[derive(Debug, PartialEq)]
    struct Tolerant {
        id: String,
        label: Option<String>,
        note: Option<String>,
        kind: String,
        count: i32,
        total: Option<i64>,
        ratio: f64,
        ids: Vec<String>,
        more: Option<Vec<String>>,
        typed: Option<Vec<i64>>,
        rest: Vec<i32>,
    }

    crate::runtime::__private::json_struct!(Tolerant {
        required_tolerant id = "id",
        nullable_tolerant label = "label",
        optional_tolerant note = "note",
        defaulted_tolerant kind = "kind",
        required_tolerant count = "count",
        optional_tolerant total = "total",
        required_tolerant ratio = "ratio",
        required_tolerant_list ids = "ids",
        nullable_tolerant_list more = "more",
        optional_tolerant_list typed = "typed",
        defaulted_tolerant_list rest = "rest",
    });

    fn tolerant(json: &str) -> Result<Tolerant, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    /// The minimal body with `field` set to `value` (JSON text).
    fn with(field: &str, value: &str) -> String {
        let mut body = serde_json::json!({"id": "1", "count": 1, "ratio": 1.0, "ids": []});
        body[field] = serde_json::from_str(value).unwrap();
        body.to_string()
    }

    #[test]
    fn a_string_decodes_from_a_number_as_written_and_from_a_boolean() {
        for (json, text) in [
            ("5434402448", "5434402448"),
            ("-7", "-7"),
            ("0", "0"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
            ("1.5", "1.5"),
            ("-0.25", "-0.25"),
            ("1e-7", "1e-7"),
            // Whole, below 2^53: exact, so as the integer it is.
            ("12.0", "12"),
            ("1e3", "1000"),
            ("123456789.0", "123456789"),
            ("true", "true"),
            ("false", "false"),
            (r#""abc""#, "abc"),
            (r#""5434402448""#, "5434402448"),
        ] {
            let decoded = tolerant(&with("id", json)).unwrap();
            assert_eq!(decoded.id, text, "{json}");
            let decoded = tolerant(&with("label", json)).unwrap();
            assert_eq!(decoded.label.as_deref(), Some(text), "{json}");
            let decoded = tolerant(&with("kind", json)).unwrap();
            assert_eq!(decoded.kind, text, "{json}");
        }
        let list = tolerant(&with("ids", r#"[101, "102", -3, true, 2.5]"#)).unwrap();
        assert_eq!(list.ids, ["101", "102", "-3", "true", "2.5"]);
        let list = tolerant(&with("more", "[5434402448]")).unwrap();
        assert_eq!(list.more, Some(vec!["5434402448".to_owned()]));
    }

    #[test]
    fn a_string_refuses_a_number_it_cannot_give_back_exactly() {
        // serde_json hands these over as an `f64`, already rounded: past
        // `u64`/`i64`, or whole and at least 2^53 in any notation.
        for json in [
            "18446744073709551616",
            "-9223372036854775809",
            "100000000000000000000000000000",
            "9007199254740992.0",
            "1e21",
            "-1E300",
        ] {
            let body = format!(r#"{{"id": {json}, "count": 1, "ratio": 1.0, "ids": []}}"#);
            let error = tolerant(&body).unwrap_err();
            assert!(
                error.starts_with("invalid value: floating point"),
                "{json}: {error}"
            );
            let body = format!(r#"{{"id": "1", "count": 1, "ratio": 1.0, "ids": [1, {json}]}}"#);
            assert!(tolerant(&body).is_err(), "{json} in a list");
        }
    }

    #[test]
    fn a_number_decodes_from_a_string_holding_one_in_range() {
        let decoded = tolerant(&with("count", r#""12""#)).unwrap();
        assert_eq!(decoded.count, 12);
        let decoded = tolerant(&with("count", r#""-2147483648""#)).unwrap();
        assert_eq!(decoded.count, i32::MIN);
        let decoded = tolerant(&with("total", r#""5434402448""#)).unwrap();
        assert_eq!(decoded.total, Some(5_434_402_448));
        let decoded = tolerant(&with("total", "5434402448")).unwrap();
        assert_eq!(decoded.total, Some(5_434_402_448));
        let decoded = tolerant(&with("ratio", r#""-2.5e3""#)).unwrap();
        assert_eq!(decoded.ratio, -2500.0);
        let decoded = tolerant(&with("ratio", "3")).unwrap();
        assert_eq!(decoded.ratio, 3.0);
        let decoded = tolerant(&with("typed", r#"["1", 2]"#)).unwrap();
        assert_eq!(decoded.typed, Some(vec![1, 2]));
        let decoded = tolerant(&with("rest", r#"["7"]"#)).unwrap();
        assert_eq!(decoded.rest, [7]);

        for (field, json, message) in [
            (
                "count",
                r#""5434402448""#,
                r#"invalid value: string "5434402448", expected i32"#,
            ),
            (
                "count",
                "5434402448",
                "invalid value: integer `5434402448`, expected i32",
            ),
            (
                "count",
                "-2147483649",
                "invalid value: integer `-2147483649`, expected i32",
            ),
            ("total", r#""9223372036854775808""#, "invalid value: string"),
            ("total", "18446744073709551615", "invalid value: integer"),
            ("count", r#""12abc""#, r#"invalid value: string "12abc""#),
            ("count", r#""""#, r#"invalid value: string """#),
            ("count", r#""+1""#, r#"invalid value: string "+1""#),
            ("count", r#"" 1""#, r#"invalid value: string " 1""#),
            ("count", r#""1.5""#, r#"invalid value: string "1.5""#),
            (
                "count",
                "1.5",
                "invalid type: floating point `1.5`, expected i32",
            ),
            (
                "count",
                "true",
                "invalid type: boolean `true`, expected i32",
            ),
            ("ratio", r#""NaN""#, r#"invalid value: string "NaN""#),
            ("ratio", r#""inf""#, r#"invalid value: string "inf""#),
            ("ratio", r#""1e999""#, r#"invalid value: string "1e999""#),
            ("ratio", r#""""#, r#"invalid value: string """#),
            (
                "ratio",
                "false",
                "invalid type: boolean `false`, expected f64",
            ),
            ("typed", r#"["x"]"#, r#"invalid value: string "x""#),
        ] {
            let error = tolerant(&with(field, json)).unwrap_err();
            assert!(error.starts_with(message), "{field} = {json}: {error}");
        }
    }

    #[test]
    fn other_kinds_still_fail_where_they_are_read() {
        for (field, json, message) in [
            ("id", r#"{"id":5}"#, "invalid type: map, expected a string"),
            ("id", "[5]", "invalid type: sequence, expected a string"),
            ("label", "{}", "invalid type: map, expected a string"),
            (
                "ids",
                r#"[{"a":1}]"#,
                "invalid type: map, expected a string",
            ),
            (
                "ids",
                r#""101""#,
                r#"invalid type: string "101", expected a sequence"#,
            ),
            ("count", "{}", "invalid type: map, expected i32"),
            ("ratio", "[5]", "invalid type: sequence, expected f64"),
        ] {
            let error = tolerant(&with(field, json)).unwrap_err();
            assert!(error.starts_with(message), "{field} = {json}: {error}");
            // serde_json's position is where the value was read.
            let column = with(field, json).find(json).unwrap();
            assert!(error.contains(" column "), "{error}");
            let at: usize = error.rsplit(' ').next().unwrap().parse().unwrap();
            assert!(
                at > column && at <= column + json.len(),
                "{field} = {json}: {error}"
            );
        }
    }

    #[test]
    fn tolerant_kinds_keep_the_missing_null_and_encoding_rules() {
        let minimal = tolerant(r#"{"id": 5, "count": "1", "ratio": 1, "ids": [6]}"#).unwrap();
        assert_eq!(
            minimal,
            Tolerant {
                id: "5".into(),
                label: None,
                note: None,
                kind: String::new(),
                count: 1,
                total: None,
                ratio: 1.0,
                ids: vec!["6".into()],
                more: None,
                typed: None,
                rest: vec![],
            }
        );
        // Encoded as the document's types, whatever was received.
        assert_eq!(
            serde_json::to_string(&minimal).unwrap(),
            r#"{"id":"5","label":null,"kind":"","count":1,"ratio":1.0,"ids":["6"],"more":null,"rest":[]}"#
        );
        let nulls = tolerant(
            r#"{"id": 5, "count": 1, "ratio": 1, "ids": [], "label": null, "note": null,
                "kind": null, "total": null, "more": null, "typed": null, "rest": null}"#,
        )
        .unwrap();
        assert_eq!((nulls.label, nulls.note, nulls.total), (None, None, None));
        assert_eq!((nulls.kind.as_str(), nulls.rest.len()), ("", 0));
        for (json, message) in [
            (
                r#"{"count": 1, "ratio": 1, "ids": []}"#,
                "missing field `id`",
            ),
            (
                r#"{"id": null, "count": 1, "ratio": 1, "ids": []}"#,
                "invalid type: null",
            ),
            (
                r#"{"id": 1, "count": null, "ratio": 1, "ids": []}"#,
                "invalid type: null",
            ),
            (
                r#"{"id": 1, "count": 1, "ratio": 1, "ids": null}"#,
                "invalid type: null",
            ),
            (
                r#"{"id": 1, "count": 1, "ratio": 1, "ids": [null]}"#,
                "invalid type: null",
            ),
            (
                r#"{"id": 1, "id": 2, "count": 1, "ratio": 1, "ids": []}"#,
                "duplicate field `id`",
            ),
            (
                r#"{"id": 1, "count": 1, "ratio": 1, "ids": [], "more": [], "more": []}"#,
                "duplicate field `more`",
            ),
        ] {
            let error = tolerant(json).unwrap_err();
            assert!(error.starts_with(message), "{json}: {error}");
        }
    }

    #[test]
    fn tolerant_lists_are_allocated_at_their_length() {
        for length in 0..12u64 {
            let list: Vec<u64> = (0..length).collect();
            let json = serde_json::json!({"id": 1, "count": 1, "ratio": 1, "ids": list, "more": list, "rest": list});
            let decoded: Tolerant = serde_json::from_value(json).unwrap();
            let text: Vec<String> = list.iter().map(u64::to_string).collect();
            assert_eq!(decoded.ids, text);
            for decoded in [&decoded.ids, decoded.more.as_ref().unwrap()] {
                assert_eq!(decoded.capacity(), list.len(), "{length} entries");
            }
            assert_eq!(decoded.rest.capacity(), list.len(), "{length} entries");
        }
    }

    #[test]
    fn lists_are_allocated_at_their_length() {
        for length in 0..12u8 {
            let list: Vec<u8> = (0..length).collect();
            let json = serde_json::json!({ "a": list, "b": list, "c": list, "d": [list] });
            let lists: Lists = serde_json::from_value(json.clone()).unwrap();
            assert_eq!(lists.a, list);
            for decoded in [
                &lists.a,
                lists.b.as_ref().unwrap(),
                lists.c.as_ref().unwrap(),
            ] {
                assert_eq!(decoded, &list);
                assert_eq!(decoded.capacity(), list.len(), "{length} entries");
            }
            assert_eq!(lists.d, vec![list.clone()]);
            assert_eq!(lists.d.capacity(), 1);
            assert_eq!(serde_json::to_value(&lists).unwrap(), json);
        }
    }

    #[test]
    fn list_kinds_keep_the_missing_null_and_duplicate_rules() {
        let minimal: Lists = serde_json::from_str(r#"{"a": [], "b": null, "d": null}"#).unwrap();
        assert_eq!(
            minimal,
            Lists {
                a: vec![],
                b: None,
                c: None,
                d: vec![],
            }
        );
        assert_eq!(
            serde_json::to_string(&minimal).unwrap(),
            r#"{"a":[],"b":null,"d":[]}"#
        );
        let missing = serde_json::from_str::<Lists>(r#"{}"#).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `a`"),
            "{missing}"
        );
        let null = serde_json::from_str::<Lists>(r#"{"a": null}"#).unwrap_err();
        assert!(null.to_string().starts_with("invalid type: null"), "{null}");
        let twice = serde_json::from_str::<Lists>(r#"{"a": [], "c": [1], "c": [2]}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `c`"),
            "{twice}"
        );
        let twice = serde_json::from_str::<Lists>(r#"{"a": [], "a": []}"#).unwrap_err();
        assert!(
            twice.to_string().starts_with("duplicate field `a`"),
            "{twice}"
        );
        let wrong = serde_json::from_str::<Lists>(r#"{"a": [1, "x"]}"#).unwrap_err();
        assert!(
            wrong.to_string().starts_with("invalid type: string"),
            "{wrong}"
        );
        let not_a_list = serde_json::from_str::<Lists>(r#"{"a": {}}"#).unwrap_err();
        assert!(
            not_a_list.to_string().contains("expected a sequence"),
            "{not_a_list}"
        );
    }

    #[test]
    fn empty_structs_skip_every_key() {
        let empty: Empty = serde_json::from_str(r#"{"x": [1, {"y": 2}], "z": null}"#).unwrap();
        assert_eq!(empty, Empty {});
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        assert!(serde_json::from_str::<Empty>("[]").is_err());
    }

    #[test]
    fn each_kind_of_field() {
        let minimal: Kinds = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        let expected = Kinds {
            a: 1,
            b: None,
            c: None,
            d: vec![],
        };
        assert_eq!(minimal, expected);
        assert_eq!(
            serde_json::to_string(&minimal).unwrap(),
            r#"{"a":1,"b":null,"d":[]}"#
        );
        let nulls: Kinds =
            serde_json::from_str(r#"{"a": 1, "b": null, "c": null, "d": null}"#).unwrap();
        assert_eq!(nulls, expected);
        let full: Kinds = serde_json::from_str(r#"{"d": [4], "c": 3, "b": 2, "a": 1}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&full).unwrap(),
            r#"{"a":1,"b":2,"c":3,"d":[4]}"#
        );
        let missing = serde_json::from_str::<Kinds>(r#"{"b": 2}"#).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `a`"),
            "{missing}"
        );
        // `null` counts as missing: a required field fails.
        let null = serde_json::from_str::<Kinds>(r#"{"a": null}"#).unwrap_err();
        assert!(null.to_string().starts_with("invalid type: null"), "{null}");
        let null = serde_json::from_str::<Free>(r#"{"v": null}"#).unwrap_err();
        assert!(null.to_string().starts_with("invalid type: null"), "{null}");
        let free: Free = serde_json::from_str(r#"{"v": [null]}"#).unwrap();
        assert_eq!(free.v, serde_json::json!([null]));
    }
}
