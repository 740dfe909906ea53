package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// AgentFormat is the "format" member of every agent file.
const AgentFormat = "neuromop-agent"

// AgentVersion is the version of the agent-file format that EncodeAgent
// writes and DecodeAgent reads.
const AgentVersion = 1

// AgentFile is a trained agent. The file stores every parameter, so the
// rate network's weights, which are drawn from the seed, are rebuilt
// exactly, and it stores the value network's weights themselves.
//
// The JSON form is one object:
//
//	{"format": "neuromop-agent", "version": 1, "task": ..., "agent": "mop" or "r",
//	 "params": {name: value, ...}, "value_net": {"sizes": [...], "relu": bool,
//	 "scale": x, "theta": [...]}, "epochs_trained": n, "metrics": {...}}
//
// The params object contains every parameter of Params as the string Set
// accepts, and DecodeAgent rejects a file that lacks one. epochs_trained
// is at most params.epochs. The theta array contains the weights in the
// layout of ValueNet.Theta. The metrics of the final evaluation are
// optional. A UTF-8 byte order mark before the object is skipped.
type AgentFile struct {
	Config        Config    // every parameter; Config.Agent is mop or r
	Value         *ValueNet // the network that scores the candidates
	EpochsTrained int
	Metrics       *Metrics // final evaluation, or nil
	// Env is the environment of Config. DecodeAgent sets it, and
	// EncodeAgent does not read it.
	Env Env
}

// AgentFile returns the trained agent of t: its configuration, the target
// network (the one that acts), the finished epochs and the final metrics,
// which are nil before the final evaluation.
func (t *Trainer) AgentFile() *AgentFile {
	return &AgentFile{
		Config: t.Config, Value: t.Target, EpochsTrained: t.epoch,
		Metrics: t.Final, Env: t.Env,
	}
}

// LoadAgent makes t, a trainer that has done no work yet, start from the
// agent a. It copies a's value-network weights into the trained and the
// target network and counts a.EpochsTrained epochs as finished. When that
// count reaches Config.Epochs, the next unit of work starts the final
// evaluation, which reproduces a.Metrics. Otherwise training goes on from
// those weights with a new optimizer state and with the rollout streams
// at their start, so the later epochs differ from an uninterrupted run's.
// It returns an error if t has done work, or if a's configuration or
// network shape differs from t's.
func (t *Trainer) LoadAgent(a *AgentFile) error {
	if t.epoch != 0 || t.t != 0 || t.rolloutSteps != 0 || len(t.History) != 0 {
		return fmt.Errorf("sim: LoadAgent needs a trainer that has done no work; this one has finished %d epochs", t.epoch)
	}
	if a.Config != t.Config {
		return agentErrorf("its parameters differ from those of the trainer; create the trainer with the file's configuration")
	}
	v := a.Value
	if v == nil {
		return agentErrorf("no value network to load")
	}
	if !slices.Equal(v.Sizes, t.V.Sizes) || v.Relu != t.V.Relu || len(v.Theta) != len(t.V.Theta) {
		return agentErrorf("value_net has sizes %v with %d weights, want sizes %v with %d weights",
			v.Sizes, len(v.Theta), t.V.Sizes, len(t.V.Theta))
	}
	if a.EpochsTrained < 0 {
		return agentErrorf("epochs_trained is %d, want at least 0", a.EpochsTrained)
	}
	for _, net := range []*ValueNet{t.V, t.Target} {
		copy(net.Theta, v.Theta)
		net.Scale = v.Scale
	}
	t.epoch = a.EpochsTrained
	if t.epoch >= t.Config.Epochs {
		t.startEval(phaseFinal)
	}
	return nil
}

// MaxAgentFileBytes returns the size of the largest agent file that
// DecodeAgent reads, so that a caller can reject a larger file before it
// reads the file into memory.
func MaxAgentFileBytes() int64 { return maxAgentFileBytes }

// agentJSON is the wire form of an agent file. Members that DecodeAgent
// parses itself, so that it can bound their sizes, are raw JSON.
type agentJSON struct {
	Format        string          `json:"format"`
	Version       int             `json:"version"`
	Task          string          `json:"task"`
	Agent         string          `json:"agent"`
	Params        json.RawMessage `json:"params"`
	ValueNet      valueNetJSON    `json:"value_net"`
	EpochsTrained int             `json:"epochs_trained"`
	Metrics       *Metrics        `json:"metrics,omitempty"`
}

type valueNetJSON struct {
	Sizes []int     `json:"sizes"`
	Relu  bool      `json:"relu"`
	Scale float64   `json:"scale"`
	Theta []float64 `json:"theta"`
}

var (
	agentMembers    = []string{"format", "version", "task", "agent", "params", "value_net", "epochs_trained", "metrics"}
	valueNetMembers = []string{"sizes", "relu", "scale", "theta"}
)

// bytesPerWeight bounds the bytes of one weight in an agent file.
// EncodeAgent writes at most 32: an indent of 6, 24 characters of the
// shortest exact decimal form, a comma and a newline. The bound leaves
// room for deeper indentation.
const bytesPerWeight = 40

// maxAgentFileBytes is the size of the largest agent file DecodeAgent
// reads: bytesPerWeight for each weight of the largest value network the
// parameter ranges allow, plus 1 MiB for the other members.
var maxAgentFileBytes = int64(bytesPerWeight*maxValueNetWeights() + 1<<20)

// maxValueNetWeights returns the weights of the largest value network:
// the most neurons plus the six shape contexts as input, and the most
// hidden layers of the most units.
func maxValueNetWeights() int {
	sizes := []int{int(Lookup("n").Max) + len(ShapeNames)}
	for l := 0; l < int(Lookup("layers").Max); l++ {
		sizes = append(sizes, int(Lookup("units").Max))
	}
	return valueNetWeights(append(sizes, 1))
}

// valueNetWeights returns the length of Theta for layer widths sizes.
func valueNetWeights(sizes []int) int {
	n := 0
	for l := 0; l+1 < len(sizes); l++ {
		n += sizes[l]*sizes[l+1] + sizes[l+1]
	}
	return n
}

// EncodeAgent writes a as an agent file to w. It rejects an agent that
// DecodeAgent would not read back, with the error DecodeAgent would
// return. Such an agent has an invalid configuration, an agent kind other
// than mop or r, a value network whose shape does not match the
// configuration, or a non-finite weight, scale or metric.
func EncodeAgent(w io.Writer, a *AgentFile) error {
	c := a.Config
	if err := c.Validate(); err != nil {
		return agentErrorf("params: %v", err)
	}
	if err := checkAgentKind(c.Agent); err != nil {
		return err
	}
	if a.Value == nil {
		return agentErrorf("no value network to save")
	}
	env, err := NewEnv(&c)
	if err != nil {
		return agentErrorf("params: %v", err)
	}
	v := a.Value
	if err := checkValueShape(&c, env, v.Sizes, v.Relu, v.Scale); err != nil {
		return err
	}
	if want := valueNetWeights(v.Sizes); len(v.Theta) != want {
		return agentErrorf("value_net.theta has %d weights, want %d for sizes %v", len(v.Theta), want, v.Sizes)
	}
	for i, x := range v.Theta {
		if !finite(x) {
			return agentErrorf("value_net.theta[%d] is %g; only finite weights can be saved", i, x)
		}
	}
	if err := checkEpochsTrained(a.EpochsTrained, &c); err != nil {
		return err
	}

	params, err := json.Marshal(c.Values())
	if err != nil {
		return agentErrorf("params: %v", err)
	}
	doc := agentJSON{
		Format: AgentFormat, Version: AgentVersion, Task: c.Task, Agent: c.Agent,
		Params:        params,
		ValueNet:      valueNetJSON{Sizes: v.Sizes, Relu: v.Relu, Scale: v.Scale, Theta: v.Theta},
		EpochsTrained: a.EpochsTrained,
		Metrics:       a.Metrics,
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return agentErrorf("metrics cannot be written: %v", err)
	}
	out = append(out, '\n')
	if _, err := w.Write(out); err != nil {
		return agentErrorf("write failed: %v", err)
	}
	return nil
}

// DecodeAgent reads an agent file from r, validates it and rebuilds the
// agent's environment and value network. It rejects a file larger than
// maxAgentFileBytes (about 74 MB) after reading one byte past that bound,
// and checks every size in the file against the parameters before it
// allocates anything of that size. Errors start with "agent file:" and
// name the member that is wrong.
func DecodeAgent(r io.Reader) (*AgentFile, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxAgentFileBytes+1))
	if err != nil {
		return nil, agentErrorf("read failed: %v", err)
	}
	if int64(len(data)) > maxAgentFileBytes {
		return nil, agentErrorf("larger than %d bytes, the size of an agent file of the largest value network the parameters allow",
			maxAgentFileBytes)
	}
	// Some editors start a UTF-8 file with a byte order mark, which a
	// browser's Response.text() and Blob.text() drop as well.
	data = bytes.TrimPrefix(data, utf8BOM)
	members, err := decodeObject(data, "the agent file", agentMembers)
	if err != nil {
		return nil, err
	}
	for _, name := range agentMembers {
		if _, ok := members[name]; !ok && name != "metrics" {
			return nil, agentErrorf("missing member %q; an agent file has %s", name, strings.Join(agentMembers, ", "))
		}
	}

	var format string
	if err := decodeMember(members, "", "format", &format, "the string "+strconv.Quote(AgentFormat)); err != nil {
		return nil, err
	}
	if format != AgentFormat {
		return nil, agentErrorf("format is %q, want %q", format, AgentFormat)
	}
	var version int
	if err := decodeMember(members, "", "version", &version, "an integer"); err != nil {
		return nil, err
	}
	if version != AgentVersion {
		return nil, agentErrorf("version %d is not supported, want %d; save the agent again with this program", version, AgentVersion)
	}

	c, err := decodeConfig(members)
	if err != nil {
		return nil, err
	}
	env, err := NewEnv(&c)
	if err != nil {
		return nil, agentErrorf("params: %v", err)
	}
	v, err := decodeValueNet(members["value_net"], &c, env)
	if err != nil {
		return nil, err
	}

	a := &AgentFile{Config: c, Value: v, Env: env}
	if err := decodeMember(members, "", "epochs_trained", &a.EpochsTrained, "an integer"); err != nil {
		return nil, err
	}
	if err := checkEpochsTrained(a.EpochsTrained, &c); err != nil {
		return nil, err
	}
	if raw, ok := members["metrics"]; ok && string(raw) != "null" {
		var m Metrics
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, agentErrorf("metrics are not valid (%v); remove the metrics member or save the agent again",
				describeJSONError(err))
		}
		a.Metrics = &m
	}
	return a, nil
}

// decodeConfig returns the validated configuration of the members task,
// agent and params. params must contain every parameter, and each one is
// applied through Config.Set.
func decodeConfig(members map[string]json.RawMessage) (Config, error) {
	var task, agent string
	if err := decodeMember(members, "", "task", &task, "a task name"); err != nil {
		return Config{}, err
	}
	if err := decodeMember(members, "", "agent", &agent, "mop or r"); err != nil {
		return Config{}, err
	}

	c, err := DefaultConfig(task)
	if err != nil {
		return c, agentErrorf("%v", err)
	}
	params, err := decodeParams(members["params"])
	if err != nil {
		return c, err
	}
	// Every parameter is required: a default in place of a missing value
	// would evaluate other parameters than those of the saved run.
	var missing []string
	for i := range Params {
		if _, ok := params[Params[i].Name]; !ok {
			missing = append(missing, Params[i].Name)
		}
	}
	if len(missing) > 0 {
		return c, agentErrorf("params lacks %s; an agent file lists every parameter, so add the value of the saved run or save the agent again",
			strings.Join(missing, ", "))
	}
	for i := range Params {
		p := &Params[i]
		if err := c.Set(p.Name, params[p.Name]); err != nil {
			return c, agentErrorf("params: %v", err)
		}
	}

	if c.Task != task {
		return c, agentErrorf("params.task is %q but task is %q; want the same task in both", c.Task, task)
	}
	if c.Agent != agent {
		return c, agentErrorf("params.agent is %q but agent is %q; want the same agent in both", c.Agent, agent)
	}
	if err := checkAgentKind(c.Agent); err != nil {
		return c, err
	}
	if err := c.Validate(); err != nil {
		return c, agentErrorf("params: %v", err)
	}
	return c, nil
}

// utf8BOM is the byte order mark that DecodeAgent skips at the start of
// a file.
var utf8BOM = []byte("\uFEFF")

// checkEpochsTrained checks the epochs_trained member against the epochs
// parameter of c: a run trains at most that many.
func checkEpochsTrained(n int, c *Config) error {
	if n < 0 {
		return agentErrorf("epochs_trained is %d, want at least 0", n)
	}
	if n > c.Epochs {
		return agentErrorf("epochs_trained is %d, more than params.epochs = %d; want at most %d", n, c.Epochs, c.Epochs)
	}
	return nil
}

func checkAgentKind(agent string) error {
	if agent != "mop" && agent != "r" {
		return agentErrorf("agent is %q, want mop or r: only those agents have a value network to save", agent)
	}
	return nil
}

// decodeParams parses the object of parameter values. A value may be a
// JSON string, as EncodeAgent writes it, or a number, as a person editing
// the file may write it.
func decodeParams(raw json.RawMessage) (map[string]string, error) {
	dec := newNumberDecoder(raw)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, agentErrorf("params is %s, want an object of parameter values", excerpt(raw))
	}
	params := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, agentErrorf("params: %v", err)
		}
		// A known name that appears once: the map holds at most len(Params)
		// entries.
		name := tok.(string) // object keys are strings in valid JSON
		if Lookup(name) == nil {
			return nil, agentErrorf("params: unknown parameter %q: want one of %s", name, strings.Join(ParamNames(), ", "))
		}
		if _, dup := params[name]; dup {
			return nil, agentErrorf("params.%s appears twice; keep one value", name)
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, agentErrorf("params.%s: %v", name, err)
		}
		switch v := tok.(type) {
		case string:
			params[name] = v
		case json.Number:
			params[name] = string(v)
		default:
			return nil, agentErrorf("params.%s is %s, want a string or a number", name, describeToken(tok))
		}
	}
	return params, nil
}

// decodeValueNet checks the value_net member against the parameters of c
// and the feature dimension of env, then reads the weights into a new
// network.
func decodeValueNet(raw json.RawMessage, c *Config, env Env) (*ValueNet, error) {
	members, err := decodeObject(raw, "value_net", valueNetMembers)
	if err != nil {
		return nil, err
	}
	for _, name := range valueNetMembers {
		if _, ok := members[name]; !ok {
			return nil, agentErrorf("missing member value_net.%s; value_net has %s", name, strings.Join(valueNetMembers, ", "))
		}
	}
	var relu bool
	if err := decodeMember(members, "value_net.", "relu", &relu, "true or false"); err != nil {
		return nil, err
	}
	var scale float64
	if err := decodeMember(members, "value_net.", "scale", &scale, "a positive number"); err != nil {
		return nil, err
	}

	want := ValueNetSizes(c, env)
	sizes, err := decodeSizes(members["sizes"], len(want))
	if err != nil {
		return nil, err
	}
	if err := checkValueShape(c, env, sizes, relu, scale); err != nil {
		return nil, err
	}

	v := newValueNetShape(sizes, relu, scale)
	count, err := scanNumbers(members["theta"], "value_net.theta", func(i int, lit json.Number) error {
		if i >= len(v.Theta) {
			return nil // counted for the message below
		}
		x, err := strconv.ParseFloat(string(lit), 64)
		if (err != nil && !errors.Is(err, strconv.ErrRange)) || !finite(x) {
			return agentErrorf("value_net.theta[%d] is %s, outside the range of float64; want finite weights", i, lit)
		}
		v.Theta[i] = x
		return nil
	})
	if err != nil {
		return nil, err
	}
	if count != len(v.Theta) {
		return nil, agentErrorf("value_net.theta has %d weights, want %d for sizes %v; the weights do not belong to this network, save the agent again",
			count, len(v.Theta), sizes)
	}
	return v, nil
}

// decodeSizes parses value_net.sizes, which must have want widths. It
// keeps at most want of them, so a long list costs no memory.
func decodeSizes(raw json.RawMessage, want int) ([]int, error) {
	var sizes []int
	count, err := scanNumbers(raw, "value_net.sizes", func(i int, lit json.Number) error {
		if i >= want {
			return nil // counted for the message below
		}
		n, err := strconv.Atoi(string(lit))
		if err != nil || n < 1 {
			return agentErrorf("value_net.sizes[%d] is %s, want a positive integer", i, lit)
		}
		sizes = append(sizes, n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if count != want {
		return nil, agentErrorf("value_net.sizes has %d widths, want %d: the input, one per hidden layer and the output; the value network does not match params, save the agent again",
			count, want)
	}
	return sizes, nil
}

// checkValueShape checks a value network's widths, hidden activation and
// output scale against the configuration c on env.
func checkValueShape(c *Config, env Env, sizes []int, relu bool, scale float64) error {
	want := ValueNetSizes(c, env)
	const fix = "; the value network does not match params, save the agent again"
	if len(sizes) != len(want) {
		return agentErrorf("value_net.sizes is %v, want %v for layers = %d%s", sizes, want, c.Layers, fix)
	}
	for i, n := range sizes {
		if n == want[i] {
			continue
		}
		switch i {
		case 0:
			return agentErrorf("value_net.sizes[0] is %d, want %d, the value-network input of task %s with n = %d%s",
				n, want[0], c.Task, c.N, fix)
		case len(sizes) - 1:
			return agentErrorf("value_net.sizes[%d] is %d, want 1, the single output%s", i, n, fix)
		default:
			return agentErrorf("value_net.sizes[%d] is %d, want units = %d%s", i, n, c.Units, fix)
		}
	}
	if wantRelu := c.HiddenActivation == "relu"; relu != wantRelu {
		return agentErrorf("value_net.relu is %t but params.hidden is %s%s", relu, c.HiddenActivation, fix)
	}
	if !finite(scale) || scale <= 0 {
		return agentErrorf("value_net.scale is %g, want a finite positive number", scale)
	}
	return nil
}

// decodeObject splits the JSON object data, called objectName in errors,
// into its members. It rejects
// trailing data, a member not in known and a repeated member, so the
// count of members is bounded by len(known).
func decodeObject(data []byte, objectName string, known []string) (map[string]json.RawMessage, error) {
	dec := newNumberDecoder(data)
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(data, err)
	}
	if tok != json.Delim('{') {
		return nil, agentErrorf("%s is %s, want a JSON object", objectName, describeToken(tok))
	}
	members := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(data, err)
		}
		name, _ := tok.(string)
		if !containsString(known, name) {
			return nil, agentErrorf("unknown member %q in %s; want %s", name, objectName, strings.Join(known, ", "))
		}
		if _, dup := members[name]; dup {
			return nil, agentErrorf("member %q appears twice in %s; keep one", name, objectName)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, syntaxError(data, err)
		}
		members[name] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntaxError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, agentErrorf("unexpected data after the end of %s at byte %d; want one JSON object",
			objectName, dec.InputOffset())
	}
	return members, nil
}

// decodeMember unmarshals the member called name into v. If the member
// has the wrong JSON type, the error names it as prefix+name and states
// want.
func decodeMember(members map[string]json.RawMessage, prefix, name string, v any, want string) error {
	raw := members[name]
	if err := json.Unmarshal(raw, v); err != nil {
		return agentErrorf("%s%s is %s, want %s", prefix, name, excerpt(raw), want)
	}
	return nil
}

// scanNumbers calls each for every element of the JSON array raw, which
// must contain only numbers, and returns the number of elements. Numbers
// are passed as their literal text, so nothing is rounded.
func scanNumbers(raw json.RawMessage, field string, each func(i int, lit json.Number) error) (int, error) {
	dec := newNumberDecoder(raw)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return 0, agentErrorf("%s is %s, want an array of numbers", field, excerpt(raw))
	}
	n := 0
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return n, agentErrorf("%s[%d]: %v", field, n, err)
		}
		lit, ok := tok.(json.Number)
		if !ok {
			return n, agentErrorf("%s[%d] is %s, want a number (JSON has no NaN or infinity)", field, n, describeToken(tok))
		}
		if err := each(n, lit); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func newNumberDecoder(data []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec
}

// syntaxError describes a JSON syntax error or a truncated file.
func syntaxError(data []byte, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		if len(bytes.TrimSpace(data)) == 0 {
			return agentErrorf("empty; want the JSON object of an agent file")
		}
		return agentErrorf("truncated after %d bytes; the file is incomplete, save the agent again", len(data))
	case errors.As(err, &se):
		return agentErrorf("invalid JSON at byte %d: %v; want the JSON object of an agent file",
			se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	}
	return agentErrorf("%v", err)
}

// describeJSONError returns a JSON decoding error without the Go type
// names that encoding/json puts in it.
func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s is a JSON %s, want %s", te.Field, te.Value, te.Type.Kind())
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "the string " + strconv.Quote(shorten(v))
	case json.Number:
		return string(v)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// excerpt returns raw, shortened to a length an error message can show.
func excerpt(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "empty"
	}
	return shorten(string(raw))
}

func shorten(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

func containsString(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func agentErrorf(format string, args ...any) error {
	return fmt.Errorf("agent file: "+format, args...)
}
