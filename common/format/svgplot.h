/* svgplot.h: line charts as an SVG document, one panel a series, for chain-info --plot */
#ifndef SVGPLOT_H
#define SVGPLOT_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define SVG_MAXPOINTS 1000	/* more values are averaged into this many */

struct plot_series {
	const char *title;
	const double *y;	/* n values, at x0 .. x1 evenly */
	size_t n;
};

/* The whole document; text is XML-escaped here. */
void svg_plot(struct buf *out, const char *title, uint64_t x0, uint64_t x1,
    const struct plot_series *s, size_t ns);

#endif
