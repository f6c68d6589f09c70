#ifndef VALLEY_CEDITLINE_SHIM_H
#define VALLEY_CEDITLINE_SHIM_H

// Swift cannot call C variadic functions, so every el_set/el_wset/el_get/history_w call
// Valley needs is wrapped here in a fixed-signature static inline function.

#include <stdio.h>
#include <wchar.h>
#include <locale.h>
#include <histedit.h>

typedef wchar_t *(*valley_wprompt_fn)(EditLine *);
typedef unsigned char (*valley_command_fn)(EditLine *, int);

static inline FILE *valley_stdin(void) { return stdin; }
static inline FILE *valley_stdout(void) { return stdout; }
static inline FILE *valley_stderr(void) { return stderr; }

static inline int valley_el_set_prompt(EditLine *el, valley_wprompt_fn fn) {
    return el_wset(el, EL_PROMPT_ESC, fn, L'\1');
}
static inline int valley_el_set_editor(EditLine *el, const wchar_t *mode) {
    return el_wset(el, EL_EDITOR, mode);
}
static inline int valley_el_set_history(EditLine *el, HistoryW *h) {
    return el_wset(el, EL_HIST, history_w, h);
}
static inline int valley_el_set_signal(EditLine *el, int on) {
    return el_wset(el, EL_SIGNAL, on);
}
static inline int valley_el_add_function(EditLine *el, const wchar_t *name, const wchar_t *help, valley_command_fn fn) {
    return el_wset(el, EL_ADDFN, name, help, fn);
}
static inline int valley_el_bind(EditLine *el, const wchar_t *key, const wchar_t *fn) {
    return el_wset(el, EL_BIND, key, fn, NULL);
}
static inline int valley_el_set_clientdata(EditLine *el, void *data) {
    return el_wset(el, EL_CLIENTDATA, data);
}
static inline void *valley_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_wget(el, EL_CLIENTDATA, &data);
    return data;
}
static inline int valley_history_set_size(HistoryW *h, int size) {
    HistEventW ev;
    return history_w(h, &ev, H_SETSIZE, size);
}
static inline int valley_history_enter(HistoryW *h, const wchar_t *line) {
    HistEventW ev;
    return history_w(h, &ev, H_ENTER, line);
}
static inline int valley_history_set_unique(HistoryW *h, int unique) {
    HistEventW ev;
    return history_w(h, &ev, H_SETUNIQUE, unique);
}

#endif
