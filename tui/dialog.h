/*
 * dialog: the studio's modal prompts, one generic kind of box: a message, an
 * optional list (of rows, or of rows with checkboxes), form fields (text,
 * secret text, a choice, a checkbox) and buttons. Confirmations, "Configure",
 * the setting form, the template and example pickers and Save & Deploy's
 * instance checkboxes are all this box with different parts.
 *
 * Dialogs stack: the newest gets every key; closing one shows the one below.
 * on_done is called with the button pressed (-1 for Esc); returning 0 keeps
 * the dialog open (for instance with d->error set to say what is wrong).
 *
 * Invariants: the focus index runs over the list (when there is one), then
 * the fields, then the buttons; a dialog owns its strings and fields and
 * frees its ctx with free_ctx when it closes.
 */
#ifndef SRCFN_TUI_DIALOG_H
#define SRCFN_TUI_DIALOG_H

#include "tui/field.h"
#include "tui/studio.h"

#define DLG_MAX_FIELDS 8
#define DLG_MAX_BUTTONS 4

typedef enum dlg_field_kind { DF_TEXT, DF_SECRET, DF_CHOICE, DF_CHECK } dlg_field_kind;

typedef struct dlg_field {
    char *label;
    dlg_field_kind kind;
    field text;                    /* DF_TEXT, DF_SECRET */
    const char *const *choices;    /* DF_CHOICE (static strings) */
    int n_choices, choice;
    int checked;                   /* DF_CHECK */
    int touched;                   /* changed by the user */
    int y;                         /* row it was drawn on */
} dlg_field;

typedef struct dlg_item {
    char *text;
    char *detail;                  /* shown under the list for the selected row; may be NULL */
    int checked;
} dlg_item;

typedef int (*dlg_done)(studio *s, dialog *d, int button);
typedef void (*dlg_change)(studio *s, dialog *d, int field);

struct dialog {
    char *title;
    char *message;
    char *error;                   /* shown in red; set by on_done to refuse */
    dlg_item *items;
    int n_items, sel, scroll, list_rows, list_y, checklist;
    dlg_field fields[DLG_MAX_FIELDS];
    int n_fields;
    const char *buttons[DLG_MAX_BUTTONS];
    int n_buttons, button_x[DLG_MAX_BUTTONS], button_y;
    int focus;
    int min_width;
    dlg_done on_done;
    dlg_change on_change;
    void *ctx;
    void (*free_ctx)(void *ctx);
    dialog *below;
};

dialog *dialog_new(const char *title, const char *message);
int dialog_add_text(dialog *d, const char *label, const char *text, int secret);
int dialog_add_choice(dialog *d, const char *label, const char *const *choices, int n, int choice);
int dialog_add_check(dialog *d, const char *label, int checked);
void dialog_add_item(dialog *d, const char *text, const char *detail, int checked);
void dialog_set_buttons(dialog *d, const char *const *buttons, int n);
void dialog_set_error(dialog *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *dialog_text(dialog *d, int field);

/* Shows d on top of the others (the studio owns it from now on). */
void dialog_open(studio *s, dialog *d, dlg_done on_done, void *ctx, void (*free_ctx)(void *));
void dialog_close(studio *s);
void dialog_close_all(studio *s);

void dialog_draw(studio *s);
/* A key for the top dialog (act from CTX_DIALOG, or A_NONE with the key). */
void dialog_key(studio *s, action act, int is_key, unsigned key);
void dialog_mouse(studio *s, int y, int x, int dbl);

/* Shorthands. */
void dialog_message(studio *s, const char *title, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
