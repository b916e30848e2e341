/* svgplot.c: a few polylines with axes and labels; nothing a browser has to guess */
#include "svgplot.h"

#include <string.h>

#define W 800
#define PANEL 260	/* height of one panel */
#define LEFT 90
#define RIGHT 20
#define TOP 40
#define GAP 50

static void
xml_text(struct buf *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': buf_str(o, "&lt;"); break;
		case '>': buf_str(o, "&gt;"); break;
		case '&': buf_str(o, "&amp;"); break;
		case '"': buf_str(o, "&quot;"); break;
		default:
			if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f)
				buf_add(o, s, 1);
		}
	}
}

/* The mean of the values in bucket i of m over n values. */
static double
bucket(const double *y, size_t n, size_t m, size_t i)
{
	size_t a = i * n / m, b = (i + 1) * n / m, k;
	double sum = 0;

	if (b <= a)
		b = a + 1;
	for (k = a; k < b; k++)
		sum += y[k];
	return sum / (double)(b - a);
}

static void
range(const struct plot_series *s, double *lo, double *hi)
{
	size_t i;

	*lo = *hi = s->n ? s->y[0] : 0;
	for (i = 1; i < s->n; i++) {
		if (s->y[i] < *lo)
			*lo = s->y[i];
		if (s->y[i] > *hi)
			*hi = s->y[i];
	}
	if (*lo > 0 && *lo < *hi / 2)
		*lo = 0;
	if (*hi == *lo) {
		*hi = *lo == 0 ? 1 : *lo * 1.5;
		*lo = *lo > 0 ? *lo * 0.5 : *lo;
	}
}

static void
panel(struct buf *o, const struct plot_series *s, int top, uint64_t x0, uint64_t x1)
{
	size_t m = s->n > SVG_MAXPOINTS ? SVG_MAXPOINTS : s->n, i;
	int pw = W - LEFT - RIGHT;
	double lo, hi;

	range(s, &lo, &hi);
	buf_fmt(o, "<g class=\"panel\">\n<text x=\"%d\" y=\"%d\" font-size=\"14\">", LEFT, top - 8);
	xml_text(o, s->title);
	buf_str(o, "</text>\n");
	buf_fmt(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>\n",
	    LEFT, top, pw, PANEL);
	buf_fmt(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.6g</text>\n",
	    LEFT - 4, top + 10, hi);
	buf_fmt(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.6g</text>\n",
	    LEFT - 4, top + PANEL, lo);
	buf_fmt(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\">%llu</text>\n", LEFT, top + PANEL + 14,
	    (unsigned long long)x0);
	buf_fmt(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">height %llu</text>\n",
	    W - RIGHT, top + PANEL + 14, (unsigned long long)x1);
	buf_str(o, "<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1\" points=\"");
	for (i = 0; i < m; i++) {
		double x = LEFT + (m > 1 ? (double)pw * (double)i / (double)(m - 1) : pw / 2.0);
		double v = m == s->n ? s->y[i] : bucket(s->y, s->n, m, i);
		double y = top + PANEL - (v - lo) / (hi - lo) * PANEL;

		buf_fmt(o, "%s%.1f,%.1f", i ? " " : "", x, y);
	}
	buf_str(o, "\"/>\n</g>\n");
}

void
svg_plot(struct buf *o, const char *title, uint64_t x0, uint64_t x1,
    const struct plot_series *s, size_t ns)
{
	int h = TOP + 20 + (int)ns * (PANEL + GAP);
	size_t i;

	buf_str(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_fmt(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	    "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n", W, h, W, h);
	buf_str(o, "<title>");
	xml_text(o, title);
	buf_str(o, "</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
	buf_fmt(o, "<text x=\"%d\" y=\"20\" font-size=\"15\" font-weight=\"bold\">", LEFT);
	xml_text(o, title);
	buf_str(o, "</text>\n");
	for (i = 0; i < ns; i++)
		panel(o, &s[i], TOP + 20 + (int)i * (PANEL + GAP), x0, x1);
	buf_str(o, "</svg>\n");
}
