package main

import (
	"bufio"
	"errors"
	"io"
	"os"

	"github.com/spf13/cobra"

	"lockviz/sim/pyexport"
)

func newExportCmd() *cobra.Command {
	var (
		o               options
		python, virtual bool
		outFile         string
	)
	cmd := &cobra.Command{
		Use:   "export --python [scenario]",
		Short: "Write a scenario as a Python program that prints the same events",
		Long: `Write a scenario as one self-contained Python program (CPython 3.11, standard
library only) that runs its tasks' code on asyncio and prints the events
"lockviz run --events" prints for the same flags, byte for byte. It runs in
real time; --virtual-clock makes its clock jump from timer to timer, as
lockviz's does. The flags that change a scenario in "lockviz run" change the
export the same way.

  lockviz export --python deadlock --virtual-clock > deadlock.py
  python3 deadlock.py | diff - <(lockviz run --events deadlock)`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !python {
				return errors.New("say which language: --python (the only one so far)")
			}
			if err := o.takeArg(args); err != nil {
				return err
			}
			s, err := o.resolve()
			if err != nil {
				return err
			}
			if err := checkEnds(s); err != nil {
				return err
			}
			w, done := cmd.OutOrStdout(), func() error { return nil }
			if outFile != "" {
				f, err := os.Create(outFile)
				if err != nil {
					return err // a path that cannot be written: bad input
				}
				w, done = f, f.Close
			}
			return writeExport(w, done, func(w io.Writer) error {
				return pyexport.Write(w, s, pyexport.Options{VirtualClock: virtual})
			})
		},
	}
	o.addScenarioFlags(cmd.Flags())
	cmd.Flags().BoolVar(&python, "python", false, "write the scenario as a Python program for CPython 3.11's asyncio")
	cmd.Flags().BoolVar(&virtual, "virtual-clock", false, "run it on a clock that jumps from timer to timer, as lockviz does, not in real time")
	cmd.Flags().StringVarP(&outFile, "output", "o", "", "write the program to `FILE` rather than to standard output")
	return cmd
}

// writeExport writes through a buffer to w and closes it with done; a
// failure to write or close is lockviz's surroundings', not its input's.
func writeExport(w io.Writer, done func() error, write func(io.Writer) error) error {
	bw := bufio.NewWriter(w)
	err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := done(); err == nil {
		err = cerr
	}
	if err != nil {
		return failure{err}
	}
	return nil
}
