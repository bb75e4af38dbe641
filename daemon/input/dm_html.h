/* HTML to text with a real HTML5 parser (gumbo): block elements become
 * paragraphs, and the page's furniture elements (navigation, header, footer,
 * aside, forms, scripts, figure captions, and elements whose class or id
 * names a menu, share bar, cookie banner, newsletter box or advert) are left
 * out. Pure function; any thread. */
#ifndef DM_HTML_H
#define DM_HTML_H

#include <stddef.h>

/* Returns the text (paragraphs separated by blank lines; caller frees).
 * *title receives the article's title (og:title, the first h1, else
 * <title>), or NULL; caller frees. */
char *dm_html_to_text(const char *html, size_t len, char **title);

/* As dm_html_to_text; *published (may be NULL to ignore) also receives the
 * publication time as the page states it (meta article:published_time,
 * itemprop datePublished, the first <time datetime>), or NULL; caller
 * frees. */
char *dm_html_to_text_meta(const char *html, size_t len, char **title, char **published);

#endif
