//! How a run's changes are written in the saved place: each as [0-based batch, lr, batch size],
//! `null` where the change keeps the value in force. The engine's `Change` stays free of serde;
//! this is the one spelling of it on disk, for `--change` and for the changes made live.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::Change;

type Written = (usize, Option<f64>, Option<usize>);

pub fn serialize<S: Serializer>(changes: &[Change], s: S) -> Result<S::Ok, S::Error> {
    let written: Vec<Written> = changes.iter().map(|c| (c.at, c.lr, c.batch_size)).collect();
    written.serialize(s)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Change>, D::Error> {
    let written = Vec::<Written>::deserialize(d)?;
    Ok(written
        .into_iter()
        .map(|(at, lr, batch_size)| Change { at, lr, batch_size })
        .collect())
}
