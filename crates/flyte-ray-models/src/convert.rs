//! Conversions between the models and the IDL structs.
//!
//! A model mirrors its IDL message field for field, so both directions are
//! the same list of moves: `same` fields move as they are, `opt` and `vec`
//! fields convert their sub-messages. Nothing is copied.
//!
//! The IDL structs (prost) have no place for fields the schema does not
//! know: converting a model to its IDL struct drops its unknown fields, and
//! a model made from an IDL struct has none.

/// Implements `From<Idl> for Model` and `From<Model> for Idl` from one field
/// list, so the two directions cannot disagree.
macro_rules! mirror {
    ($model:ty, $idl:ty { $($field:ident: $how:ident),* $(,)? }) => {
        impl From<$idl> for $model {
            #[allow(deprecated)] // RayJob.runtime_env is deprecated upstream
            fn from(m: $idl) -> Self {
                Self {
                    $($field: $crate::convert::mirror!(@$how m.$field),)*
                    ..Default::default()
                }
            }
        }
        impl From<$model> for $idl {
            #[allow(deprecated)]
            fn from(m: $model) -> Self {
                Self { $($field: $crate::convert::mirror!(@$how m.$field)),* }
            }
        }
    };
    (@same $e:expr) => { $e };
    (@opt $e:expr) => { $e.map(Into::into) };
    (@vec $e:expr) => { $e.into_iter().map(Into::into).collect() };
}

pub(crate) use mirror;
