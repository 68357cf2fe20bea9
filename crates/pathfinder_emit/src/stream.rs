//! Writing a large JSON document without holding it in memory.
//!
//! A report is a small skeleton (tool, rules, summary) around one long
//! array (findings, results, vulnerabilities). The skeleton is built as a
//! [`Value`] with [`MARKER`] where the array goes; [`write_pretty`] writes the
//! skeleton and, at the marker, the array's items one at a time as
//! `items` makes them. Each item is dropped once written, so memory stays at
//! one finding's JSON whatever the number of findings, and the text is the
//! same as that of the whole document built as one [`Value`].

use std::cell::RefCell;
use std::io::{self, Write};

use serde::ser::{Serialize, Serializer};
use serde_json::Value;

/// Stands where the streamed array goes in the skeleton.
pub(crate) const MARKER: &str = "\u{0}pathfinder: streamed array\u{0}";

/// Writes `skeleton` pretty-printed with the items of `items` in place of
/// [`MARKER`], then a newline.
pub(crate) fn write_pretty(
    out: &mut dyn Write,
    skeleton: &Value,
    items: impl Iterator<Item = Value>,
) -> io::Result<()> {
    let items = RefCell::new(Some(items));
    serde_json::to_writer_pretty(
        &mut *out,
        &Splice {
            value: skeleton,
            items: &items,
        },
    )?;
    writeln!(out)
}

struct Splice<'a, I> {
    value: &'a Value,
    items: &'a RefCell<Option<I>>,
}

impl<I: Iterator<Item = Value>> Serialize for Splice<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::String(text) if text == MARKER => {
                // The marker appears once; a second one gets an empty array.
                let items = self.items.borrow_mut().take();
                serializer.collect_seq(items.into_iter().flatten())
            }
            Value::Array(values) => serializer.collect_seq(values.iter().map(|value| Splice {
                value,
                items: self.items,
            })),
            Value::Object(map) => serializer.collect_map(map.iter().map(|(key, value)| {
                (
                    key,
                    Splice {
                        value,
                        items: self.items,
                    },
                )
            })),
            other => other.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn same_text_as_the_whole_document() {
        let items = || (0..3).map(|index| json!({ "index": index, "name": format!("n{index}") }));
        let whole = json!({ "b": 1, "a": { "list": items().collect::<Vec<_>>(), "z": [] } });
        let skeleton = json!({ "b": 1, "a": { "list": MARKER, "z": [] } });
        let mut streamed = Vec::new();
        write_pretty(&mut streamed, &skeleton, items()).unwrap();
        let expected = format!("{}\n", serde_json::to_string_pretty(&whole).unwrap());
        assert_eq!(String::from_utf8(streamed).unwrap(), expected);
        let mut empty = Vec::new();
        write_pretty(&mut empty, &json!({ "a": MARKER }), std::iter::empty()).unwrap();
        assert_eq!(
            String::from_utf8(empty).unwrap(),
            format!(
                "{}\n",
                serde_json::to_string_pretty(&json!({ "a": [] })).unwrap()
            )
        );
    }
}
