#ifndef ASYNCVOICE_CNCURSESW_SHIM_H
#define ASYNCVOICE_CNCURSESW_SHIM_H
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift 6 rejects the mutable globals; read them through functions. */
static inline WINDOW *av_stdscr(void) { return stdscr; }
static inline int av_cols(void) { return COLS; }
static inline int av_lines(void) { return LINES; }
static inline int av_key_resize(void) { return KEY_RESIZE; }
static inline int av_err(void) { return ERR; }
static inline unsigned int av_color_pair(int n) { return (unsigned int)COLOR_PAIR(n); }
static inline unsigned int av_a_bold(void) { return A_BOLD; }
static inline unsigned int av_a_dim(void) { return A_DIM; }
static inline unsigned int av_a_reverse(void) { return A_REVERSE; }
static inline unsigned int av_a_underline(void) { return A_UNDERLINE; }
static inline int av_attrset(unsigned int a) { return attrset((int)a); }
static inline int av_mvaddwstr(int y, int x, const wchar_t *s) { return mvaddwstr(y, x, s); }
static inline int av_get_wch(wint_t *c) { return get_wch(c); }
/* Mouse: wheel notches only (button 4 up, button 5 down, ncurses mouse version 2). */
static inline unsigned long av_mousemask_wheel(void) {
  return (unsigned long)mousemask(BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
}
/* The pending mouse event if it is a wheel notch: 0 and its cell and direction, else -1. */
static inline int av_getmouse_wheel(int *x, int *y, int *up) {
  MEVENT e;
  if (getmouse(&e) != OK) return -1;
  if (e.bstate & BUTTON4_PRESSED) *up = 1;
  else if (e.bstate & BUTTON5_PRESSED) *up = 0;
  else return -1;
  *x = e.x;
  *y = e.y;
  return 0;
}
#endif
