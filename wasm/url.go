//go:build js && wasm

package main

import (
	"fmt"
	"net/url"
	"strings"
	"syscall/js"

	"github.com/neuromop/neuromop/game"
)

// settingsFromURL parses the query of the page's URL, such as
// ?task=shapes&shape=ring&seed=3&autostart=1, into settings. Each rejected
// value keeps its default and adds its message, which the canvas shows.
// Each message is shortened by game.ShortenNotices, because it quotes the
// rejected value or name.
func settingsFromURL() (game.Settings, []string) {
	search := js.Global().Get("location").Get("search").String()
	q, err := url.ParseQuery(strings.TrimPrefix(search, "?"))
	s, msgs := game.ParseSettings(q)
	if err != nil {
		msgs = append([]string{"invalid URL query: " + err.Error()}, msgs...)
	}
	return s, game.ShortenNotices(msgs)
}

// replaceQuery sets the query of the page's URL to query with
// history.replaceState, keeping the path and the fragment, so that the
// address bar holds a link to the current settings without a reload or a
// new history entry.
//
// The new URL is relative ("?query#hash"), because a path that starts with
// "//" would read as another host. A browser that still refuses it leaves
// the address bar as it was, and the error goes to the console.
func replaceQuery(query string) {
	defer func() {
		if r := recover(); r != nil {
			js.Global().Get("console").Call("warn", fmt.Sprintf("neuromop: could not update the URL: %v", r))
		}
	}()
	loc := js.Global().Get("location")
	next := "?" + query + loc.Get("hash").String()
	js.Global().Get("history").Call("replaceState", js.Null(), "", next)
}
