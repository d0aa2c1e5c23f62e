// Oracle for flyte_ray_fmt::goyaml: the Flyte backend's runtime_env conversion, run in Go.
//
// Reads JSON lines {"id": ..., "runtime_env": <base64 text>} on stdin and writes each back
// with "runtime_env_yaml" (the YAML) or "error" (Go's error text), as Flyte's v1 Ray plugin
// does: base64.StdEncoding.DecodeString, json.Unmarshal into map[string]interface{},
// yaml.Marshal(&obj). Not built by cargo. Build offline against Debian's packages:
//
//	apt-get install -y golang-go golang-gopkg-yaml.v2-dev
//	GOPATH=/usr/share/gocode GO111MODULE=off go build -o /tmp/goyaml_oracle .
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"runtime"

	yaml "gopkg.in/yaml.v2"
)

type result struct {
	ID             string  `json:"id"`
	RuntimeEnv     string  `json:"runtime_env"`
	RuntimeEnvYAML *string `json:"runtime_env_yaml,omitempty"`
	Error          *string `json:"error,omitempty"`
	Go             string  `json:"go"`
}

func convert(b64 string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	data, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", err
	}
	var obj map[string]interface{}
	if err := json.Unmarshal(data, &obj); err != nil {
		return "", err
	}
	y, err := yaml.Marshal(&obj)
	if err != nil {
		return "", err
	}
	return string(y), nil
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for in.Scan() {
		var c struct {
			ID         string `json:"id"`
			RuntimeEnv string `json:"runtime_env"`
		}
		if err := json.Unmarshal(in.Bytes(), &c); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			os.Exit(1)
		}
		r := result{ID: c.ID, RuntimeEnv: c.RuntimeEnv, Go: runtime.Version()}
		y, err := convert(c.RuntimeEnv)
		if err != nil {
			s := err.Error()
			r.Error = &s
		} else {
			r.RuntimeEnvYAML = &y
		}
		if err := enc.Encode(&r); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
