//! Loading a student's own data from CSV, and the errors that name what is wrong and where.

use std::io::Read;
use std::path::Path;

use super::{Dataset, max_rows};

/// The largest CSV file read: more text than the biggest data set needs, and a bound on what a
/// device such as /dev/zero can make the loader hold.
pub const MAX_CSV_BYTES: u64 = 256 << 20;

/// A problem with the data, worded for the `error:` line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DataError(pub String);

impl DataError {
    pub fn plain(message: impl Into<String>) -> Self {
        DataError(message.into())
    }

    pub fn option(option: &str, problem: &str) -> Self {
        DataError(format!("{option}: {problem}"))
    }
}

/// Reads a CSV file with a header row. The target is the column named `target`, or the last one.
pub fn load_csv(path: &Path, target: Option<&str>) -> Result<Dataset, DataError> {
    let shown = path.display();
    if path.is_dir() {
        return Err(DataError(format!("{shown} is a directory, not a CSV file")));
    }
    let cannot = |e: std::io::Error| DataError(format!("cannot read {shown}: {}", io_reason(&e)));
    let mut text = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CSV_BYTES + 1).read_to_end(&mut text))
        .map_err(cannot)?;
    if text.len() as u64 > MAX_CSV_BYTES {
        return Err(DataError(format!(
            "{shown} is larger than {} MiB, the most gradstep reads",
            MAX_CSV_BYTES >> 20
        )));
    }
    parse_csv(&text, &shown.to_string(), target)
}

/// The line of `text` that byte `at` is on, counting "\r\n", "\n" and a lone "\r" as one line
/// break each, as an editor would: the csv crate's own count is off for CR line endings.
fn physical_line(text: &[u8], at: u64) -> u64 {
    let end = usize::try_from(at).map_or(text.len(), |a| a.min(text.len()));
    let before = &text[..end];
    let breaks = before
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\n' || (c == b'\r' && text.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
}

/// The first line at or after byte `at` that is not blank: a record's position may point at
/// the blank lines before it.
fn record_line(text: &[u8], at: u64) -> u64 {
    let mut at = usize::try_from(at).unwrap_or(text.len()).min(text.len());
    while at < text.len() && matches!(text[at], b'\r' | b'\n') {
        at += 1;
    }
    physical_line(text, at as u64)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// Parses CSV text; `name` is how errors refer to the source.
pub fn parse_csv(text: &[u8], name: &str, target: Option<&str>) -> Result<Dataset, DataError> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(DataError(format!(
            "{name} is empty: expected a header row and at least one data row"
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| DataError(format!("{name}: line 1: {}", csv_reason(&e))))?
        .iter()
        .map(str::to_string)
        .collect();
    check_header(&header, name)?;
    let columns = header.len();
    if columns < 2 {
        return Err(DataError(format!(
            "{name}: needs at least two columns (one or more features, then the target); the header has {columns}"
        )));
    }
    let target_col = match target {
        None => columns - 1,
        Some(t) => header.iter().position(|h| h == t).ok_or_else(|| {
            DataError(format!(
                "--target {t:?}: {name} has no such column (its columns are: {})",
                header.join(", ")
            ))
        })?,
    };

    let most_rows = max_rows(columns - 1);
    let mut rows = Vec::new();
    let mut y = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| record_line(text, p.byte()));
            DataError(format!("{name}: line {line}: {}", csv_reason(&e)))
        })?;
        let line = || record.position().map_or(0, |p| record_line(text, p.byte()));
        if record.len() == 1 && record.get(0).is_some_and(str::is_empty) {
            continue; // a blank line
        }
        if y.len() >= most_rows {
            return Err(DataError(format!(
                "{name}: line {}: more than {most_rows} rows of {columns} columns, the most that fit in memory here",
                line()
            )));
        }
        if record.len() != columns {
            return Err(DataError(format!(
                "{name}: line {}: expected {columns} fields as in the header, found {}",
                line(),
                record.len()
            )));
        }
        for (col, cell) in record.iter().enumerate() {
            let value = parse_cell(cell).map_err(|why| {
                DataError(format!(
                    "{name}: line {}, column {} ({:?}): {why}",
                    line(),
                    col + 1,
                    header[col]
                ))
            })?;
            if col == target_col {
                y.push(value);
            } else {
                rows.push(value);
            }
        }
    }
    if y.is_empty() {
        return Err(DataError(format!("{name}: has a header but no data rows")));
    }
    let target_name = header[target_col].clone();
    let features = header
        .into_iter()
        .enumerate()
        .filter(|(c, _)| *c != target_col)
        .map(|(_, h)| h)
        .collect();
    Dataset::new(rows, y, features, target_name)
}

/// A header row names every column once. A first row of numbers is data, not names: reading it
/// as a header would silently drop a row and train on columns called "2.5".
fn check_header(header: &[String], name: &str) -> Result<(), DataError> {
    if header.iter().all(|h| parse_cell(h).is_ok()) {
        return Err(DataError(format!(
            "{name}: line 1 holds only numbers, so it has no header row; add a first line naming \
             the columns, e.g. {}",
            example_header(header.len())
        )));
    }
    if let Some(col) = header.iter().position(String::is_empty) {
        return Err(DataError(format!(
            "{name}: line 1: column {} has no name; every column needs one",
            col + 1
        )));
    }
    // One pass with a map of the names seen: comparing each name with all before it took
    // quadratic time on a header of many columns.
    let mut seen = std::collections::HashMap::with_capacity(header.len());
    for (col, h) in header.iter().enumerate() {
        if let Some(&first) = seen.get(h.as_str()) {
            return Err(DataError(format!(
                "{name}: line 1: columns {} and {} are both named {h:?}; names must be unique",
                first + 1,
                col + 1
            )));
        }
        seen.insert(h.as_str(), col);
    }
    Ok(())
}

fn example_header(columns: usize) -> String {
    let features = (1..columns).map(|j| format!("x{j}"));
    features
        .chain(["y".to_string()])
        .collect::<Vec<_>>()
        .join(",")
}

fn parse_cell(cell: &str) -> Result<f64, String> {
    if cell.is_empty() {
        return Err("empty cell, expected a number".into());
    }
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(format!(
            "{cell:?} is not a finite number (NaN and infinity cannot be trained on)"
        )),
        Err(_) => Err(format!("{cell:?} is not a number")),
    }
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".into(),
        _ => e.to_string(),
    }
}
