#include "input/dm_html.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"

#include <ctype.h>
#include <gumbo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Class and id fragments that mark page furniture on news sites. Matched as
 * substrings of the lower-cased attribute, so "share-bar", "social-links",
 * "cookie-consent" and "site-nav" all count. */
static const char *dm_html_furniture_names[] = {
    "nav",       "menu",    "share",         "social",  "cookie",     "consent",  "newsletter",
    "subscribe", "advert",  "promo",         "related", "breadcrumb", "footer",   "header",
    "sidebar",   "comment", "byline-social", "signin",  "login",      "banner",   "popup",
    "modal",     "caption", "credit",        "tags",    "logo",       "masthead", NULL};

static int dm_html_attr_is_furniture(const GumboElement *el, const char *attr)
{
        const GumboAttribute *a = gumbo_get_attribute(&el->attributes, attr);
        char low[256];
        size_t n, k;
        const char **f;
        if (!a || !a->value)
                return 0;
        n = strlen(a->value);
        if (n >= sizeof(low))
                n = sizeof(low) - 1;
        for (k = 0; k < n; k++)
                low[k] = (char)tolower((unsigned char)a->value[k]);
        low[n] = '\0';
        /* "article-header" and "main-content" wrap the story itself. */
        if (strstr(low, "article") || strstr(low, "story") || strstr(low, "content"))
                return 0;
        for (f = dm_html_furniture_names; *f; f++)
                if (strstr(low, *f))
                        return 1;
        return 0;
}

static int dm_html_skip(const GumboElement *el)
{
        switch (el->tag) {
        case GUMBO_TAG_SCRIPT:
        case GUMBO_TAG_STYLE:
        case GUMBO_TAG_NOSCRIPT:
        case GUMBO_TAG_NAV:
        case GUMBO_TAG_FOOTER:
        case GUMBO_TAG_ASIDE:
        case GUMBO_TAG_FORM:
        case GUMBO_TAG_BUTTON:
        case GUMBO_TAG_SELECT:
        case GUMBO_TAG_FIGCAPTION:
        case GUMBO_TAG_IFRAME:
        case GUMBO_TAG_SVG:
        case GUMBO_TAG_TEMPLATE:
        case GUMBO_TAG_HEAD:
        case GUMBO_TAG_OBJECT:
        case GUMBO_TAG_CANVAS:
        case GUMBO_TAG_MENU:
                return 1;
        default:
                break;
        }
        {
                const GumboAttribute *h = gumbo_get_attribute(&el->attributes, "hidden");
                const GumboAttribute *r = gumbo_get_attribute(&el->attributes, "role");
                const GumboAttribute *ah = gumbo_get_attribute(&el->attributes, "aria-hidden");
                if (h || (ah && !strcmp(ah->value, "true")))
                        return 1;
                if (r && (!strcmp(r->value, "navigation") || !strcmp(r->value, "banner") ||
                          !strcmp(r->value, "contentinfo") || !strcmp(r->value, "complementary")))
                        return 1;
        }
        return dm_html_attr_is_furniture(el, "class") || dm_html_attr_is_furniture(el, "id");
}

static int dm_html_is_block(GumboTag t)
{
        switch (t) {
        case GUMBO_TAG_P:
        case GUMBO_TAG_DIV:
        case GUMBO_TAG_BR:
        case GUMBO_TAG_LI:
        case GUMBO_TAG_H1:
        case GUMBO_TAG_H2:
        case GUMBO_TAG_H3:
        case GUMBO_TAG_H4:
        case GUMBO_TAG_H5:
        case GUMBO_TAG_H6:
        case GUMBO_TAG_BLOCKQUOTE:
        case GUMBO_TAG_SECTION:
        case GUMBO_TAG_ARTICLE:
        case GUMBO_TAG_HEADER:
        case GUMBO_TAG_TR:
        case GUMBO_TAG_TABLE:
        case GUMBO_TAG_UL:
        case GUMBO_TAG_OL:
        case GUMBO_TAG_PRE:
        case GUMBO_TAG_FIGURE:
        case GUMBO_TAG_TIME:
        case GUMBO_TAG_MAIN:
        case GUMBO_TAG_DD:
        case GUMBO_TAG_DT:
        case GUMBO_TAG_HR:
        case GUMBO_TAG_ADDRESS:
                return 1;
        default:
                return 0;
        }
}

static void dm_html_text_of(const GumboNode *n, dm_buf_t *b)
{
        size_t i;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_WHITESPACE ||
            n->type == GUMBO_NODE_CDATA) {
                dm_buf_puts(b, n->v.text.text);
                return;
        }
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_TEMPLATE)
                return;
        for (i = 0; i < n->v.element.children.length; i++)
                dm_html_text_of(n->v.element.children.data[i], b);
}

/* Text content with whitespace collapsed; caller frees. */
static char *dm_html_flat(const GumboNode *n)
{
        dm_buf_t b, o;
        size_t i;
        int sp = 0;
        dm_buf_init(&b);
        dm_buf_init(&o);
        dm_html_text_of(n, &b);
        for (i = 0; i < b.len; i++) {
                if (isspace((unsigned char)b.data[i])) {
                        sp = o.len > 0;
                        continue;
                }
                if (sp)
                        dm_buf_putc(&o, ' ');
                sp = 0;
                dm_buf_putc(&o, b.data[i]);
        }
        dm_buf_free(&b);
        return o.data ? dm_buf_steal(&o) : NULL;
}

typedef struct dm_html_walk {
        int in_article; /* inside <article> or <main> */
        char *h1_any;   /* the first h1 anywhere, when none is in the article */
        dm_buf_t out;
        char *h1;
        char *og_title;
        char *title;
        char *published;
} dm_html_walk_t;

/* Publication time from a meta element or a <time datetime>. */
static void dm_html_published(const GumboElement *el, dm_html_walk_t *w)
{
        const GumboAttribute *p, *v;
        if (w->published)
                return;
        if (el->tag == GUMBO_TAG_META) {
                v = gumbo_get_attribute(&el->attributes, "content");
                if (!v || !*v->value)
                        return;
                if (((p = gumbo_get_attribute(&el->attributes, "property")) &&
                     !strcmp(p->value, "article:published_time")) ||
                    ((p = gumbo_get_attribute(&el->attributes, "itemprop")) &&
                     !strcmp(p->value, "datePublished")) ||
                    ((p = gumbo_get_attribute(&el->attributes, "name")) &&
                     (!strcmp(p->value, "pubdate") || !strcmp(p->value, "publishdate") ||
                      !strcmp(p->value, "date") || !strcmp(p->value, "article.published"))))
                        w->published = dm_strdup(v->value);
        } else if (el->tag == GUMBO_TAG_TIME) {
                v = gumbo_get_attribute(&el->attributes, "datetime");
                if (v && *v->value)
                        w->published = dm_strdup(v->value);
        }
}

static void dm_html_walk(const GumboNode *n, dm_html_walk_t *w)
{
        const GumboElement *el;
        size_t i;
        if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
                dm_buf_puts(&w->out, n->v.text.text);
                return;
        }
        if (n->type == GUMBO_NODE_WHITESPACE) {
                dm_buf_putc(&w->out, ' ');
                return;
        }
        if (n->type != GUMBO_NODE_ELEMENT && n->type != GUMBO_NODE_DOCUMENT &&
            n->type != GUMBO_NODE_TEMPLATE)
                return;
        if (n->type == GUMBO_NODE_DOCUMENT) {
                for (i = 0; i < n->v.document.children.length; i++)
                        dm_html_walk(n->v.document.children.data[i], w);
                return;
        }
        el = &n->v.element;
        if (el->tag == GUMBO_TAG_HEAD) {
                /* Only the title facts come from the head. */
                for (i = 0; i < el->children.length; i++) {
                        const GumboNode *c = el->children.data[i];
                        if (c->type != GUMBO_NODE_ELEMENT)
                                continue;
                        if (c->v.element.tag == GUMBO_TAG_TITLE && !w->title) {
                                w->title = dm_html_flat(c);
                        } else if (c->v.element.tag == GUMBO_TAG_META) {
                                dm_html_published(&c->v.element, w);
                        }
                        if (c->v.element.tag == GUMBO_TAG_META && !w->og_title) {
                                const GumboAttribute *p =
                                    gumbo_get_attribute(&c->v.element.attributes, "property");
                                const GumboAttribute *v =
                                    gumbo_get_attribute(&c->v.element.attributes, "content");
                                if (p && v && !strcmp(p->value, "og:title") && *v->value)
                                        w->og_title = dm_strdup(v->value);
                        }
                }
                return;
        }
        if (el->tag == GUMBO_TAG_META || el->tag == GUMBO_TAG_TIME)
                dm_html_published(el, w);
        if (el->tag == GUMBO_TAG_H1 && !w->h1_any)
                w->h1_any = dm_html_flat(n);
        if (dm_html_skip(el))
                return;
        /* The page's own header (logo, menus) sits outside the article; an
         * article's header holds its headline and stays. */
        if (el->tag == GUMBO_TAG_HEADER && !w->in_article)
                return;
        if (el->tag == GUMBO_TAG_H1 && !w->h1)
                w->h1 = dm_html_flat(n);
        if (dm_html_is_block(el->tag))
                dm_buf_puts(&w->out, "\n\n");
        if (el->tag == GUMBO_TAG_ARTICLE || el->tag == GUMBO_TAG_MAIN)
                w->in_article++;
        for (i = 0; i < el->children.length; i++)
                dm_html_walk(el->children.data[i], w);
        if (el->tag == GUMBO_TAG_ARTICLE || el->tag == GUMBO_TAG_MAIN)
                w->in_article--;
        if (dm_html_is_block(el->tag))
                dm_buf_puts(&w->out, "\n\n");
}

/* "Headline - World News | Example Post" -> "Headline": the site's name
 * and section follow the last " | " or " - " when what precedes is still a
 * headline of three words or more. Takes t. */
static char *dm_html_title_trim(char *t)
{
        static const char *const seps[] = {" | ", " - ", " :: ", NULL};
        const char *const *sp;
        for (sp = seps; *sp; sp++) {
                char *cut;
                while ((cut = strstr(t, *sp)) != NULL) {
                        char *last = cut, *next;
                        size_t words = 1, i;
                        while ((next = strstr(last + 1, *sp)) != NULL)
                                last = next;
                        for (i = 0; t + i < last; i++)
                                words += t[i] == ' ';
                        if (words < 3)
                                break;
                        *last = '\0';
                }
        }
        return t;
}

char *dm_html_to_text(const char *html, size_t len, char **title)
{
        return dm_html_to_text_meta(html, len, title, NULL);
}

char *dm_html_to_text_meta(const char *html, size_t len, char **title, char **published)
{
        GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html, len);
        dm_html_walk_t w;
        memset(&w, 0, sizeof(w));
        dm_buf_init(&w.out);
        dm_html_walk(g->document, &w);
        gumbo_destroy_output(&kGumboDefaultOptions, g);
        /* og:title is the headline without the site's name; the first h1 is
         * usually the same; <title> often carries " | Site" at the end. */
        if (w.og_title) {
                *title = w.og_title;
                w.og_title = NULL;
        } else if (w.h1) {
                *title = w.h1;
                w.h1 = NULL;
        } else if (w.title) {
                *title = dm_html_title_trim(w.title);
                w.title = NULL;
        } else {
                *title = w.h1_any;
                w.h1_any = NULL;
        }
        if (published) {
                *published = w.published;
                w.published = NULL;
        }
        free(w.published);
        free(w.og_title);
        free(w.h1_any);
        free(w.h1);
        free(w.title);
        return w.out.data ? dm_buf_steal(&w.out) : dm_strdup("");
}
