//! Open string enums: the values a document lists, plus `Unknown(String)`
//! for the ones HubSpot adds later, so decoding never fails on a new value
//! and re-encoding gives back exactly what came in.

/// Implements an open string enum's conversions, given its known variants
/// and their values (the enum itself is written out by the generator, so its
/// docs read like any other type).
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// The value as HubSpot spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl $crate::runtime::__private::ParamValue for $name {
            fn each(&self, f: &mut dyn FnMut(String)) {
                f(self.as_str().to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::runtime::__private::serde::Serialize for $name {
            fn serialize<S: $crate::runtime::__private::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::runtime::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::runtime::__private::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                // `deserialize_any`: a string reads exactly as through
                // `deserialize_str`, and an integer gets to the visitor.
                deserializer.deserialize_any($crate::runtime::__private::OpenEnumVisitor::<Self>::new())
            }
        }
    };
}

#[doc(hidden)]
pub use crate::__open_enum as open_enum;

/// Decodes a string into an open enum without allocating for known values,
/// and a JSON integer into its `Unknown` text (`1` → `Unknown("1")`); any
/// other kind still fails, naming the path.
#[doc(hidden)]
pub struct OpenEnumVisitor<T>(std::marker::PhantomData<T>);

impl<T> OpenEnumVisitor<T> {
    /// A visitor for the open enum `T`.
    pub fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> Default for OpenEnumVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for OpenEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }

    // HubSpot sends numbers where its documents say `string` (the quirks
    // table): an integer is a value no variant spells, kept as its text.
    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
        Ok(T::from(value.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
        Ok(T::from(value.to_string()))
    }
}
