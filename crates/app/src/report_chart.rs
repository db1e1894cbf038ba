//! Bar charts of a report's figures as SVG, drawn with plotters: bars and
//! counts only, the labels numbered (the table beside the chart names them),
//! so the chart needs no font of its own.

use plotters::prelude::*;

use crate::reports::Figure;

/// A horizontal-axis bar chart of the figure's rows, in row order.
pub(crate) fn bar_chart(figure: &Figure) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 240)).into_drawing_area();
        let _ = draw(&root, figure);
        let _ = root.present();
    }
    svg
}

fn draw(root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>, figure: &Figure) -> Result<(), String> {
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let n = figure.rows.len().max(1) as i32;
    let max = figure.rows.iter().map(|r| r.count).max().unwrap_or(1).max(1) as i32;
    let (w, h) = root.dim_in_pixel();
    let (left, bottom, top) = (10i32, 10i32, 10i32);
    let plot_w = w as i32 - 2 * left;
    let plot_h = h as i32 - bottom - top;
    let slot = plot_w / n;
    let colour = RGBColor(0x1f, 0x5f, 0x8b);
    for (i, r) in figure.rows.iter().enumerate() {
        let bar_h = (r.count as i64 * plot_h as i64 / max as i64) as i32;
        let x0 = left + i as i32 * slot + slot / 8;
        let x1 = left + (i as i32 + 1) * slot - slot / 8;
        let y1 = h as i32 - bottom;
        let y0 = y1 - bar_h.max(1);
        root.draw(&Rectangle::new([(x0, y0), (x1.max(x0 + 1), y1)], colour.filled())).map_err(|e| e.to_string())?;
    }
    let axis = BLACK.stroke_width(1);
    root.draw(&PathElement::new(vec![(left, h as i32 - bottom), (w as i32 - left, h as i32 - bottom)], axis))
        .map_err(|e| e.to_string())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::FigureRow;

    #[test]
    fn one_bar_per_row() {
        let f = Figure {
            key: "k".into(),
            title: "t".into(),
            rows: vec![
                FigureRow { label: "a".into(), count: 3, ids: vec![] },
                FigureRow { label: "b".into(), count: 1, ids: vec![] },
            ],
        };
        let svg = bar_chart(&f);
        assert!(svg.starts_with("<svg"), "{svg}");
        // background + two bars
        assert_eq!(svg.matches("<rect").count(), 3, "{svg}");
    }
}
