// Command kiln-test-plugin is a Packer plugin built by kiln's tests from Go
// modules. It registers real components from the official plugins' Go packages,
// as their own main.go does, plus a tiny builder and data source ("kilntest")
// for protocol edge cases. Which set it serves depends on the name it is
// installed under: packer-plugin-amazon…, packer-plugin-docker… or
// packer-plugin-kilntest…, so one build gives three plugins.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/packer-plugin-amazon/builder/ebs"
	"github.com/hashicorp/packer-plugin-amazon/datasource/ami"
	"github.com/hashicorp/packer-plugin-docker/builder/docker"
	dockerimport "github.com/hashicorp/packer-plugin-docker/post-processor/docker-import"
	dockertag "github.com/hashicorp/packer-plugin-docker/post-processor/docker-tag"
	packersdk "github.com/hashicorp/packer-plugin-sdk/packer"
	"github.com/hashicorp/packer-plugin-sdk/plugin"
	"github.com/hashicorp/packer-plugin-sdk/version"
	"github.com/mitchellh/mapstructure"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func main() {
	pps := plugin.NewSet()
	name := filepath.Base(os.Args[0])
	switch {
	case strings.Contains(name, "amazon"):
		pps.RegisterBuilder("ebs", new(ebs.Builder))
		pps.RegisterDatasource("ami", new(ami.Datasource))
	case strings.Contains(name, "docker"):
		pps.RegisterBuilder(plugin.DEFAULT_NAME, new(docker.Builder))
		pps.RegisterPostProcessor("import", new(dockerimport.PostProcessor))
		pps.RegisterPostProcessor("tag", new(dockertag.PostProcessor))
	default:
		pps.RegisterBuilder(plugin.DEFAULT_NAME, new(EchoBuilder))
		pps.RegisterDatasource(plugin.DEFAULT_NAME, new(EchoDatasource))
	}
	pps.SetVersion(version.NewPluginVersion("0.0.1", "", ""))
	if err := pps.Run(); err != nil {
		fmt.Fprintln(os.Stderr, err.Error())
		os.Exit(1)
	}
}

// decodeRaws decodes Packer's configs (maps, and cty values from HCL templates)
// into target; the official plugins do this with generated code (packer-sdc).
func decodeRaws(target interface{}, raws []interface{}) error {
	for _, raw := range raws {
		var m map[string]interface{}
		switch v := raw.(type) {
		case cty.Value:
			b, err := ctyjson.Marshal(v, v.Type())
			if err != nil {
				return err
			}
			if err := json.Unmarshal(b, &m); err != nil {
				return err
			}
		case map[string]interface{}:
			m = v
		default:
			continue
		}
		if err := mapstructure.WeakDecode(m, target); err != nil {
			return err
		}
	}
	return nil
}

// Options is a nested block of the echo builder's config.
type Options struct {
	Level int      `mapstructure:"level"`
	Tags  []string `mapstructure:"tags"`
}

// Step is a repeated block of the echo builder's config.
type Step struct {
	Name string `mapstructure:"name"`
}

// EchoConfig is the echo builder's config.
type EchoConfig struct {
	Message string            `mapstructure:"message"`
	Labels  map[string]string `mapstructure:"labels"`
	Options Options           `mapstructure:"options"`
	Steps   []Step            `mapstructure:"step"`
}

func echoSpec() hcldec.ObjectSpec {
	return hcldec.ObjectSpec{
		"message": &hcldec.AttrSpec{Name: "message", Type: cty.String, Required: false},
		"labels":  &hcldec.AttrSpec{Name: "labels", Type: cty.Map(cty.String), Required: false},
		"options": &hcldec.BlockSpec{TypeName: "options", Nested: hcldec.ObjectSpec{
			"level": &hcldec.AttrSpec{Name: "level", Type: cty.Number, Required: false},
			"tags":  &hcldec.AttrSpec{Name: "tags", Type: cty.List(cty.String), Required: false},
		}},
		"step": &hcldec.BlockListSpec{TypeName: "step", Nested: hcldec.ObjectSpec{
			"name": &hcldec.AttrSpec{Name: "name", Type: cty.String, Required: false},
		}},
	}
}

// EchoBuilder says its message, runs the provisioning hook and returns an
// artifact that refuses to be destroyed; "fail" is a Prepare error.
type EchoBuilder struct{ config EchoConfig }

func (b *EchoBuilder) ConfigSpec() hcldec.ObjectSpec { return echoSpec() }

func (b *EchoBuilder) Prepare(raws ...interface{}) ([]string, []string, error) {
	if err := decodeRaws(&b.config, raws); err != nil {
		return nil, nil, err
	}
	if b.config.Message == "fail" {
		return nil, nil, fmt.Errorf("message must not be %q", "fail")
	}
	return []string{"EchoGenerated"}, []string{"echo builder warning"}, nil
}

func (b *EchoBuilder) Run(ctx context.Context, ui packersdk.Ui, hook packersdk.Hook) (packersdk.Artifact, error) {
	ui.Say(fmt.Sprintf("echo: %s (level %d, tags %s, %d steps, labels %d)",
		b.config.Message, b.config.Options.Level, strings.Join(b.config.Options.Tags, ","), len(b.config.Steps), len(b.config.Labels)))
	for _, s := range b.config.Steps {
		ui.Message("step " + s.Name)
	}
	data := map[string]interface{}{"ID": "echo", "EchoGenerated": "generated-" + b.config.Message}
	if err := hook.Run(ctx, packersdk.HookProvision, ui, nil, data); err != nil {
		return nil, err
	}
	return &echoArtifact{message: b.config.Message, data: data}, nil
}

type echoArtifact struct {
	message string
	data    map[string]interface{}
}

func (a *echoArtifact) BuilderId() string { return "kiln.echo" }
func (a *echoArtifact) Files() []string   { return nil }
func (a *echoArtifact) Id() string        { return "echo-" + a.message }
func (a *echoArtifact) String() string    { return "echo artifact: " + a.message }
func (a *echoArtifact) State(name string) interface{} {
	if name == "generated_data" {
		return a.data
	}
	return nil
}
func (a *echoArtifact) Destroy() error { return nil }

// EchoDatasourceConfig is the echo data source's config.
type EchoDatasourceConfig struct {
	Greeting string `mapstructure:"greeting"`
	Count    int    `mapstructure:"count"`
}

// EchoDatasource returns its greeting and the numbers 1..count.
type EchoDatasource struct{ config EchoDatasourceConfig }

func (d *EchoDatasource) ConfigSpec() hcldec.ObjectSpec {
	return hcldec.ObjectSpec{
		"greeting": &hcldec.AttrSpec{Name: "greeting", Type: cty.String, Required: true},
		"count":    &hcldec.AttrSpec{Name: "count", Type: cty.Number, Required: false},
	}
}

func (d *EchoDatasource) Configure(raws ...interface{}) error {
	return decodeRaws(&d.config, raws)
}

func (d *EchoDatasource) OutputSpec() hcldec.ObjectSpec {
	return hcldec.ObjectSpec{
		"greeting": &hcldec.AttrSpec{Name: "greeting", Type: cty.String},
		"numbers":  &hcldec.AttrSpec{Name: "numbers", Type: cty.List(cty.Number)},
	}
}

func (d *EchoDatasource) Execute() (cty.Value, error) {
	nums := []cty.Value{}
	for i := 1; i <= d.config.Count; i++ {
		nums = append(nums, cty.NumberIntVal(int64(i)))
	}
	list := cty.ListValEmpty(cty.Number)
	if len(nums) > 0 {
		list = cty.ListVal(nums)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"greeting": cty.StringVal(d.config.Greeting + " data"),
		"numbers":  list,
	}), nil
}
