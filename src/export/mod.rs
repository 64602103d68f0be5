//! Machine-readable outputs of the annotations. Every format speaks in Unicode code-point
//! offsets (the indices Python's `str` and brat use), converted here from the core's bytes.

pub mod jsonl;
