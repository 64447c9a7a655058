//! A report's columns, viewed cell by cell by the type the writers print them as; shared by the CSV
//! writer and the workbook's, so both read a frame alike.

use polars::prelude::*;

use super::ReportError;

/// Between the items of a list cell in CSV and in the workbook.
pub const LIST_SEPARATOR: &str = "; ";

/// The columns of `df` as the CSV and the workbook print them: each in one chunk, and a column of
/// lists (Parquet keeps them as lists) as text, a cell's items joined by [`LIST_SEPARATOR`].
pub(super) fn printable(df: &DataFrame) -> PolarsResult<Vec<Column>> {
    df.columns()
        .iter()
        .map(|column| match column.dtype() {
            DataType::List(_) => {
                let lists = column.list()?;
                let joined: Vec<Option<String>> = (0..lists.len())
                    .map(|i| lists.get_as_series(i).map(|items| joined(&items)).transpose())
                    .collect::<PolarsResult<_>>()?;
                Ok(Column::new(column.name().clone(), joined))
            }
            _ => Ok(column.rechunk()),
        })
        .collect()
}

/// A list cell's items as text, joined by [`LIST_SEPARATOR`]; an item that holds the separator (an
/// alias of a user's dictionary may) or starts with `"` is put between double quotes, its own
/// doubled, as CSV quotes a field, so the items can be told apart again.
fn joined(items: &Series) -> PolarsResult<String> {
    let items = items.cast(&DataType::String)?;
    let item = |item: Option<&str>| match item.unwrap_or("") {
        text if text.contains(LIST_SEPARATOR) || text.starts_with('"') => format!("\"{}\"", text.replace('"', "\"\"")),
        text => text.to_string(),
    };
    Ok(items.str()?.iter().map(item).collect::<Vec<_>>().join(LIST_SEPARATOR))
}

/// A column, viewed by the type its cells are printed as: one array each, so a cell is read without
/// finding its chunk.
pub(super) enum Cells<'a> {
    Text(&'a <StringType as PolarsDataType>::Array),
    Int(&'a <Int64Type as PolarsDataType>::Array),
    Float(&'a <Float64Type as PolarsDataType>::Array),
    Date(&'a <Int32Type as PolarsDataType>::Array),
    Bool(&'a <BooleanType as PolarsDataType>::Array),
}

/// One cell's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Cell<'a> {
    Text(&'a str),
    Int(i64),
    Float(f64),
    /// Days since 1970-01-01.
    Date(i32),
    Bool(bool),
}

impl<'a> Cells<'a> {
    /// The cells of `column`, which has one chunk (see [`Column::rechunk`]).
    pub(super) fn of(column: &'a Column) -> Result<Cells<'a>, ReportError> {
        Ok(match column.dtype() {
            DataType::String => Cells::Text(column.str()?.downcast_as_array()),
            DataType::Int64 => Cells::Int(column.i64()?.downcast_as_array()),
            DataType::Float64 => Cells::Float(column.f64()?.downcast_as_array()),
            DataType::Date => Cells::Date(column.date()?.physical().downcast_as_array()),
            DataType::Boolean => Cells::Bool(column.bool()?.downcast_as_array()),
            other => return Err(ReportError::Unsupported(column.name().to_string(), other.to_string())),
        })
    }

    /// The cell of `row`, `None` when it is missing.
    #[inline]
    pub(super) fn get(&self, row: usize) -> Option<Cell<'a>> {
        match self {
            Cells::Text(c) => c.get(row).map(Cell::Text),
            Cells::Int(c) => c.get(row).map(Cell::Int),
            Cells::Float(c) => c.get(row).map(Cell::Float),
            Cells::Date(c) => c.get(row).map(Cell::Date),
            Cells::Bool(c) => c.get(row).map(Cell::Bool),
        }
    }
}

/// Writes `v` in decimal.
pub(super) fn write_int(out: &mut Vec<u8>, v: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = v.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes `v` as `{}` does. The values reports round to three decimals are written with integer
/// arithmetic, several times faster: below 1e9 the nearest double to a number of thousandths is
/// written as those thousandths, as no other decimal of three places or fewer lies as near.
pub(super) fn write_float(out: &mut Vec<u8>, v: f64) {
    use std::io::Write as _;
    let thousandths = (v * 1000.0).round();
    if v.abs() < 1e9 && thousandths / 1000.0 == v && !(v == 0.0 && v.is_sign_negative()) {
        let t = thousandths as i64;
        if t < 0 {
            out.push(b'-');
        }
        let (whole, mut fraction) = (t.unsigned_abs() / 1000, t.unsigned_abs() % 1000);
        write_int(out, whole as i64);
        if fraction != 0 {
            out.push(b'.');
            let mut divisor = 100;
            while fraction != 0 {
                out.push(b'0' + (fraction / divisor) as u8);
                fraction %= divisor;
                divisor /= 10;
            }
        }
    } else {
        // Writing into a vector cannot fail.
        let _ = write!(out, "{v}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_item_holding_the_separator_is_quoted_so_the_items_stay_apart() {
        let mut lists = ListStringChunkedBuilder::new("aliases".into(), 2, 4);
        lists.append_values_iter(["Alpha; Beta", "AB Group", "\"Quoted\" name", "Alphabeta"].into_iter());
        lists.append_values_iter(["Armenia", "Armenian"].into_iter());
        let df = DataFrame::new_infer_height(vec![lists.finish().into_column()]).unwrap();
        let printed = printable(&df).unwrap();
        let cells: Vec<Option<&str>> = printed[0].str().unwrap().iter().collect();
        assert_eq!(
            cells,
            [Some("\"Alpha; Beta\"; AB Group; \"\"\"Quoted\"\" name\"; Alphabeta"), Some("Armenia; Armenian")]
        );
    }

    proptest::proptest! {
        #[test]
        fn floats_are_written_as_the_standard_formatter_writes_them(
            thousandths in -2_000_000_000_000i64..2_000_000_000_000,
            any in proptest::num::f64::ANY,
        ) {
            for v in [thousandths as f64 / 1000.0, (thousandths % 100_000) as f64 / 1000.0, any, -0.0, 0.1 + 0.2] {
                let mut cell = Vec::new();
                write_float(&mut cell, v);
                proptest::prop_assert_eq!(String::from_utf8(cell).unwrap(), format!("{v}"));
            }
        }
    }
}
