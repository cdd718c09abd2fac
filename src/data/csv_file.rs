//! Loading a student's own data from CSV, and the errors that name what is wrong and where.

use std::path::Path;

use super::Dataset;

/// A problem with the data, worded for the `error:` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError(pub String);

impl DataError {
    pub fn plain(message: impl Into<String>) -> Self {
        DataError(message.into())
    }

    pub fn option(option: &str, problem: &str) -> Self {
        DataError(format!("{option}: {problem}"))
    }
}

impl std::fmt::Display for DataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DataError {}

/// Reads a CSV file with a header row. The target is the column named `target`, or the last one.
pub fn load_csv(path: &Path, target: Option<&str>) -> Result<Dataset, DataError> {
    let shown = path.display();
    if path.is_dir() {
        return Err(DataError(format!("{shown} is a directory, not a CSV file")));
    }
    let text = std::fs::read(path)
        .map_err(|e| DataError(format!("cannot read {shown}: {}", io_reason(&e))))?;
    parse_csv(&text, &shown.to_string(), target)
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

    let mut rows = Vec::new();
    let mut y = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            DataError(format!("{name}: line {line}: {}", csv_reason(&e)))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(str::is_empty) {
            continue; // a blank line
        }
        if record.len() != columns {
            return Err(DataError(format!(
                "{name}: line {line}: expected {columns} fields as in the header, found {}",
                record.len()
            )));
        }
        for (col, cell) in record.iter().enumerate() {
            let value = parse_cell(cell).map_err(|why| {
                DataError(format!(
                    "{name}: line {line}, column {} ({:?}): {why}",
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
