/*
 * catalog: the studio's start screen. Lists the workspace's functions with
 * their newest deployed version and their instances (and the version each
 * runs), plus "New function", which picks a bundled template (with its
 * description) and opens it unsaved: its name is asked on the first save,
 * as Segment's "Configure" does. Outside a workspace it offers to make the
 * current directory one.
 *
 * Invariant: the list is read again each time the catalog is shown, so it
 * reflects deploys made meanwhile (from the studio or another terminal).
 */
#ifndef SRCFN_TUI_CATALOG_H
#define SRCFN_TUI_CATALOG_H

#include "tui/studio.h"

void catalog_load(studio *s);
void catalog_draw(studio *s);
void catalog_key(studio *s, action act);
void catalog_mouse(studio *s, int y, int x, int dbl);
void catalog_free(studio *s);
void catalog_offer_workspace(studio *s);
void catalog_pick_template(studio *s);

#endif
