package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// pki is regenerated on every start: the harness always uses a fresh data dir, and reusing
// keys across restarts would only matter for tokens that tests never keep anyway.
type pki struct{ dataDir string }

func (p pki) file(name string) string       { return filepath.Join(p.dataDir, "pki", name) }
func (p pki) kubeconfig(name string) string { return filepath.Join(p.dataDir, name+".kubeconfig") }

func ensurePKI(dataDir, server string) (pki, error) {
	p := pki{dataDir}
	if err := os.MkdirAll(filepath.Join(dataDir, "pki"), 0o700); err != nil {
		return p, err
	}
	caKey, caCert, err := newCert(nil, nil, &x509.Certificate{
		Subject: pkix.Name{CommonName: "control-plane-test-ca"},
		IsCA:    true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	})
	if err != nil {
		return p, err
	}
	if err := p.writeKeyPair("ca", caKey, caCert); err != nil {
		return p, err
	}

	// Names a client inside a pod would use too, should the driver ever test that path.
	_, serviceIP, _ := net.ParseCIDR(serviceCIDR)
	serviceIP.IP[len(serviceIP.IP)-1] = 1
	servingKey, servingCert, err := newCert(caKey, caCert, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "kube-apiserver"},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), serviceIP.IP},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return p, err
	}
	if err := p.writeKeyPair("apiserver", servingKey, servingCert); err != nil {
		return p, err
	}

	// Client identities: CN is the user, O the groups. The component names match the
	// subjects of the RBAC bootstrap ClusterRoleBindings, so no extra RBAC is needed.
	clients := map[string]pkix.Name{
		"admin":              {CommonName: "control-plane-admin", Organization: []string{"system:masters"}},
		"controller-manager": {CommonName: "system:kube-controller-manager"},
		"scheduler":          {CommonName: "system:kube-scheduler"},
	}
	for name, subject := range clients {
		key, cert, err := newCert(caKey, caCert, &x509.Certificate{
			Subject:     subject,
			KeyUsage:    x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		})
		if err != nil {
			return p, err
		}
		if err := p.writeKeyPair(name, key, cert); err != nil {
			return p, err
		}
		if err := writeKubeconfig(p.kubeconfig(name), server, caCert, cert, key); err != nil {
			return p, err
		}
	}

	// ServiceAccount token signing key (RS256 is what every JWT consumer accepts).
	saKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return p, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return p, err
	}
	if err := writePEM(p.file("sa.key"), "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(saKey)); err != nil {
		return p, err
	}
	return p, writePEM(p.file("sa.pub"), "PUBLIC KEY", pub)
}

// newCert signs tmpl with the CA (or self-signs when ca is nil) using a fresh P-256 key.
func newCert(caKey crypto.Signer, ca *x509.Certificate, tmpl *x509.Certificate) (*ecdsa.PrivateKey, *x509.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour) // tolerate small clock skew
	tmpl.NotAfter = time.Now().Add(7 * 24 * time.Hour)
	parent, signer := tmpl, crypto.Signer(key)
	if ca != nil {
		parent, signer = ca, caKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return key, cert, err
}

func (p pki) writeKeyPair(name string, key *ecdsa.PrivateKey, cert *x509.Certificate) error {
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := writePEM(p.file(name+".key"), "EC PRIVATE KEY", keyDER); err != nil {
		return err
	}
	return writePEM(p.file(name+".crt"), "CERTIFICATE", cert.Raw)
}

func writePEM(path, typ string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600)
}

func writeKubeconfig(path, server string, ca, cert *x509.Certificate, key *ecdsa.PrivateKey) error {
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	b64 := func(typ string, der []byte) string {
		return base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	kubeconfig := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: test
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: test
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: test
  context:
    cluster: test
    user: test
current-context: test
`, server, b64("CERTIFICATE", ca.Raw), b64("CERTIFICATE", cert.Raw), b64("EC PRIVATE KEY", keyDER))
	return os.WriteFile(path, []byte(kubeconfig), 0o600)
}
