//! Static files, embedded in the binary so that it is self-contained and
//! nothing is ever loaded from elsewhere.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    cache: &'static str,
    bytes: &'static [u8],
}

/// Path of the stylesheet, for templates.
pub(crate) const STYLESHEET: &str = "/assets/veza.css";
/// Path of htmx, for templates. The version in the name lets it be cached for good.
pub(crate) const HTMX: &str = "/assets/htmx-2.0.4.min.js";
/// Path of the icon, for templates.
pub(crate) const ICON: &str = "/assets/veza.svg";
/// Path of cytoscape.js (MIT, vendored unchanged; licence at `/assets/cytoscape-3.35.0.LICENSE`).
pub(crate) const CYTOSCAPE: &str = "/assets/cytoscape-3.35.0.min.js";
/// Path of the link chart's script.
pub(crate) const CHART_JS: &str = "/assets/chart.js";
/// Path of the menu's keyboard helper (Escape closes a group; the menu works without it).
pub(crate) const NAV_JS: &str = "/assets/nav.js";
/// Path of the link chart's and timeline's stylesheet.
pub(crate) const CHART_CSS: &str = "/assets/chart.css";

const ASSETS: &[Asset] = &[
    Asset {
        name: "veza.css",
        content_type: "text/css; charset=utf-8",
        cache: "public, max-age=3600",
        bytes: include_bytes!("../assets/veza.css"),
    },
    Asset {
        name: "htmx-2.0.4.min.js",
        content_type: "text/javascript; charset=utf-8",
        cache: "public, max-age=31536000, immutable",
        bytes: include_bytes!("../assets/htmx-2.0.4.min.js"),
    },
    Asset {
        name: "veza.svg",
        content_type: "image/svg+xml",
        cache: "public, max-age=86400",
        bytes: include_bytes!("../assets/veza.svg"),
    },
    Asset {
        name: "cytoscape-3.35.0.min.js",
        content_type: "text/javascript; charset=utf-8",
        cache: "public, max-age=31536000, immutable",
        bytes: include_bytes!("../assets/cytoscape-3.35.0.min.js"),
    },
    Asset {
        name: "cytoscape-3.35.0.LICENSE",
        content_type: "text/plain; charset=utf-8",
        cache: "public, max-age=31536000, immutable",
        bytes: include_bytes!("../assets/cytoscape-3.35.0.LICENSE"),
    },
    Asset {
        name: "chart.js",
        content_type: "text/javascript; charset=utf-8",
        cache: "public, max-age=3600",
        bytes: include_bytes!("../assets/chart.js"),
    },
    Asset {
        name: "nav.js",
        content_type: "text/javascript; charset=utf-8",
        cache: "public, max-age=3600",
        bytes: include_bytes!("../assets/nav.js"),
    },
    Asset {
        name: "chart.css",
        content_type: "text/css; charset=utf-8",
        cache: "public, max-age=3600",
        bytes: include_bytes!("../assets/chart.css"),
    },
];

/// `GET /assets/{name}`: an embedded file, or 404.
pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(a.content_type)),
                (header::CACHE_CONTROL, HeaderValue::from_static(a.cache)),
            ],
            a.bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "no such asset\n")
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_paths_name_embedded_files() {
        for path in [super::STYLESHEET, super::HTMX, super::ICON, super::CYTOSCAPE, super::CHART_JS, super::CHART_CSS] {
            let name = path.trim_start_matches("/assets/");
            assert!(super::ASSETS.iter().any(|a| a.name == name), "{path}");
        }
    }
}
