//! Loading and rescaling data at the edges: a header of 200,000 named columns is checked in
//! one pass, and `--standardize` rescales distinct values however large or small they are,
//! refusing only a column that really is constant.

use gradstep::data::{Dataset, parse_csv};

/// One feature column `x` (and a target) holding `values`.
fn column(values: &[f64]) -> Dataset {
    let y = vec![0.0; values.len()];
    Dataset::new(values.to_vec(), y, vec!["x".into()], "y".into()).expect("a data set")
}

fn standardized(values: &[f64]) -> Result<Vec<f64>, String> {
    let mut data = column(values);
    data.standardize().map_err(|e| e.0)?;
    Ok((0..data.n()).map(|i| data.row(i)[0]).collect())
}

/// |a − b| ≤ 1e-12 · max(1, |b|).
fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x - y).abs() <= 1e-12 * 1f64.max(y.abs()))
}

#[test]
fn distinct_values_are_rescaled_at_any_magnitude() {
    // 1, 2, 3 → mean 2, population sd √(2/3): ∓√(3/2) and 0, by hand.
    let r = 1.5f64.sqrt();
    let expected = [-r, 0.0, r];
    for scale in [1.0, 1e170, 1e-300, 1e300, 1e-320, -1e170] {
        let values = [scale, 2.0 * scale, 3.0 * scale];
        let got = standardized(&values).unwrap_or_else(|e| panic!("{scale}: {e}"));
        let expected: Vec<f64> = expected.iter().map(|v| v * scale.signum()).collect();
        assert!(close(&got, &expected), "{scale}: {got:?}");
    }
    // The largest magnitudes, whose plain sum overflows.
    let got = standardized(&[f64::MAX, -f64::MAX, 0.0]).expect("rescaled");
    assert!(
        close(&got, &[1.5f64.sqrt(), -(1.5f64.sqrt()), 0.0]),
        "{got:?}"
    );
}

#[test]
fn ordinary_columns_give_exactly_the_plain_formula() {
    let values: Vec<f64> = (0..50)
        .map(|i| (f64::from(i) * 0.37).sin() * 12.5 + 3.0)
        .collect();
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
    let plain: Vec<f64> = values.iter().map(|v| (v - mean) / sd).collect();
    assert_eq!(standardized(&values), Ok(plain));
}

#[test]
fn only_a_constant_column_is_refused() {
    for v in [1e170, 1e-300, 0.0, -4.2] {
        let err = standardized(&[v, v, v]).expect_err("constant");
        assert_eq!(
            err,
            "cannot standardize column \"x\": all its values are equal"
        );
    }
}

#[test]
fn a_header_of_200000_names_is_checked_in_one_pass() {
    let columns = 200_000;
    let names: Vec<String> = (1..columns).map(|j| format!("x{j}")).collect();
    let mut header = names.join(",");
    header.push_str(",y\n");
    let row = vec!["1"; columns].join(",");
    let text = format!("{header}{row}\n");
    let data = parse_csv(text.as_bytes(), "wide.csv", None).expect("loads");
    assert_eq!((data.n(), data.d()), (1, columns - 1));
    assert_eq!(
        data.feature_names.last().map(String::as_str),
        Some("x199999")
    );
    // The same name twice, far apart, is named with both columns.
    let text = format!("{}x7,y\n{row}\n", names[..columns - 2].join(",") + ",");
    let err = parse_csv(text.as_bytes(), "wide.csv", None).expect_err("duplicate");
    assert_eq!(
        err.0,
        format!(
            "wide.csv: line 1: columns 7 and {} are both named \"x7\"; names must be unique",
            columns - 1
        )
    );
}

#[test]
fn standardizing_keeps_each_features_mean_and_sd_in_its_units() {
    // Two columns at very different magnitudes; the mean and population sd by hand (a second
    // route: no scaling by powers of two, just the definitions).
    let a = [100.0, 80.0, 120.0, 60.0, 150.0];
    let b = [3e-7, 2e-7, 4e-7, 2e-7, 5e-7];
    let rows: Vec<f64> = a.iter().zip(&b).flat_map(|(x, y)| [*x, *y]).collect();
    let mut data = Dataset::new(rows, vec![0.0; 5], vec!["a".into(), "b".into()], "y".into())
        .expect("a data set");
    assert!(data.scales().is_none());
    let original: Vec<Vec<f64>> = (0..5).map(|i| data.row(i).to_vec()).collect();
    data.standardize().expect("rescaled");
    let scales = data.scales().expect("scales once standardized").to_vec();
    for (j, column) in [&a[..], &b[..]].into_iter().enumerate() {
        let n = column.len() as f64;
        let mean = column.iter().sum::<f64>() / n;
        let sd = (column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        assert!(close(&[scales[j].mean], &[mean]), "{j}: {:?}", scales[j]);
        assert!(close(&[scales[j].sd], &[sd]), "{j}: {:?}", scales[j]);
        // Each standardized value maps back to the value as loaded.
        let back: Vec<f64> = (0..5).map(|i| scales[j].original(data.row(i)[j])).collect();
        let loaded: Vec<f64> = original.iter().map(|r| r[j]).collect();
        assert!(close(&back, &loaded), "{j}: {back:?}");
    }
    // By hand: (100 + 80 + 120 + 60 + 150) / 5.
    assert_eq!(scales[0].mean, 102.0);
}
