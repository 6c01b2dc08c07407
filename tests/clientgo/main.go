// A client-go dynamic informer on hosting.sitepod.io/v1alpha1 sites, for
// lib/apiserver/clientgo.int.test.ts: it prints its store's object names as one JSON line on
// every sync and change, and each watch error the reflector reports as another (a 410 is not one:
// the reflector relists quietly, logging "Watch closed" with the reason at -v=4 on stderr).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"sync"
	"syscall"

	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/dynamic/dynamicinformer"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
)

type line struct {
	Event string   `json:"event"`
	Names []string `json:"names,omitempty"`
	Error string   `json:"error,omitempty"`
}

var out sync.Mutex

func emit(l line) {
	out.Lock()
	defer out.Unlock()
	b, _ := json.Marshal(l)
	fmt.Println(string(b))
}

func main() {
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file (server, CA, token)")
	namespace := flag.String("namespace", "", "namespace to watch (empty: all)")
	// -v=4 makes the reflector log why a watch ended ("closed with: ..."): the test reads the 410 there.
	klog.InitFlags(nil)
	flag.Parse()
	if *kubeconfig == "" {
		fmt.Fprintln(os.Stderr, "--kubeconfig is required")
		os.Exit(2)
	}
	config, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	client, err := dynamic.NewForConfig(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	gvr := schema.GroupVersionResource{Group: "hosting.sitepod.io", Version: "v1alpha1", Resource: "sites"}
	factory := dynamicinformer.NewFilteredDynamicSharedInformerFactory(client, 0, *namespace, nil)
	informer := factory.ForResource(gvr).Informer()
	store := informer.GetStore()
	names := func() []string {
		keys := store.ListKeys()
		sort.Strings(keys)
		return keys
	}
	report := func(event string) func() { return func() { emit(line{Event: event, Names: names()}) } }
	if _, err := informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(any) { report("add")() },
		UpdateFunc: func(any, any) { report("update")() },
		DeleteFunc: func(any) { report("delete")() },
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := informer.SetWatchErrorHandler(func(_ *cache.Reflector, err error) {
		emit(line{Event: "error", Error: err.Error()})
	}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	factory.Start(ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), informer.HasSynced) {
		os.Exit(1)
	}
	report("synced")()
	<-ctx.Done()
	factory.Shutdown()
}
